/**
 * `npm start`: a ready-to-use n8n with this package and the Zoho SalesIQ sandbox, no Zoho account needed.
 *
 *   npm start                                 n8n on 127.0.0.1:5678, sandbox on 127.0.0.1:8787
 *   npm start -- --port 5680 --sandbox-port 8790 --user-folder ./my-n8n [--logs]
 *   npm start -- --queue                      queue mode: Postgres, Redis, main, 2 workers, a webhook processor
 *   (or PORT=5680 SANDBOX_PORT=8790 npm start)
 *
 * It prepares the pinned real n8n (cached in .n8n-cache/ after the first run), starts the sandbox and
 * n8n on 127.0.0.1, installs the freshly built package, signs up an owner, connects the credential
 * "Zoho SalesIQ (sandbox)" through the sandbox's OAuth flow, imports examples/*.json once, and prints
 * the URL and the login. The n8n folder (default .n8n-cache/dev) is kept: a restart keeps your
 * workflows and executions. Ctrl-C stops n8n, its task runner and the sandbox.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox';
import { CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, sandboxCredential } from './lib/fixtures';
import { ensureN8n } from './lib/install';
import { createN8n, type N8n } from './lib/n8n';
import { createTopology, type QueueTopology } from './lib/queue';
import { installPackage, packPackage } from './lib/package';
import { CACHE_DIR, REPO_ROOT, WORK_DIR } from './lib/paths';
import { activateBot, botBanner, botUrl, FAQ_BOT_FILE } from './lib/bot-demo';
import { DEFAULT_OWNER } from './lib/rest';

const DEFAULT_N8N_PORT = 5678;
const DEFAULT_SANDBOX_PORT = 8787;
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** Which examples were imported into this n8n folder already; kept inside .n8n so a reset forgets it too. */
const STATE_FILE = 'zoho-salesiq-dev.json';

const USAGE = `usage: npm start -- [--port N] [--sandbox-port N] [--user-folder DIR] [--logs] [--queue]
  --port          n8n's port on 127.0.0.1 (default ${DEFAULT_N8N_PORT}, or $PORT)
  --sandbox-port  the Zoho SalesIQ sandbox's port (default ${DEFAULT_SANDBOX_PORT}, or $SANDBOX_PORT)
  --user-folder   where n8n keeps its data (default .n8n-cache/dev); kept between runs
  --logs          also print n8n's own output (it always goes to <user folder>/n8n-start.log)
  --queue         n8n's queue mode: Postgres and Redis (temporary, removed on Ctrl-C), a main on --port,
                  two workers and a webhook processor; --user-folder and --logs do not apply`;

interface Options {
	port: number;
	sandboxPort: number;
	userFolder: string;
	logs: boolean;
	queue: boolean;
}

class UsageError extends Error {}

function port(flag: string, value: string | undefined): number {
	if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
		throw new UsageError(`${flag} needs a port number (1-65535)`);
	}
	return Number(value);
}

function parseArgs(argv: string[]): Options {
	const options: Options = {
		port: process.env.PORT ? port('PORT', process.env.PORT) : DEFAULT_N8N_PORT,
		sandboxPort: process.env.SANDBOX_PORT ? port('SANDBOX_PORT', process.env.SANDBOX_PORT) : DEFAULT_SANDBOX_PORT,
		userFolder: path.join(CACHE_DIR, 'dev'),
		logs: false,
		queue: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--port') options.port = port(flag, argv[++i]);
		else if (flag === '--sandbox-port') options.sandboxPort = port(flag, argv[++i]);
		else if (flag === '--user-folder') {
			const dir = argv[++i];
			if (!dir) throw new UsageError('--user-folder needs a folder');
			options.userFolder = path.resolve(dir);
		} else if (flag === '--logs') options.logs = true;
		else if (flag === '--queue') options.queue = true;
		else throw new UsageError(`unknown option ${flag}`);
	}
	if (options.port === options.sandboxPort) throw new UsageError('n8n and the sandbox need two different ports');
	return options;
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const step = (line: string) => log(`[start] ${line}`);

/** Fails with a clear message when something already listens on the port. */
function assertPortFree(portNumber: number, what: string, flag: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(
				new UsageError(
					error.code === 'EADDRINUSE'
						? `port ${portNumber} on 127.0.0.1 (${what}) is already in use: is another \`npm start\` or n8n running? Stop it, or pick another port with ${flag}.`
						: `cannot listen on 127.0.0.1:${portNumber} (${what}): ${error.message}`,
				),
			);
		});
		server.listen(portNumber, '127.0.0.1', () => server.close(() => resolve()));
	});
}

interface Example {
	file: string;
	workflow: Record<string, any>;
}

function readExamples(): Example[] {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) }));
}

/** Points every reference to the sandbox credential (by name, or by its id) at the credential this script created. */
function withSandboxCredential(workflow: Record<string, any>): Record<string, any> {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes ?? []) {
		const ref = node.credentials?.[CREDENTIAL_TYPE];
		if (ref && (ref.name === CREDENTIAL_NAME || ref.id === CREDENTIAL_ID)) {
			node.credentials[CREDENTIAL_TYPE] = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME };
		}
	}
	return copy;
}

function readState(file: string): { importedExamples: string[] } {
	try {
		const state = JSON.parse(fs.readFileSync(file, 'utf8'));
		return { importedExamples: Array.isArray(state.importedExamples) ? state.importedExamples : [] };
	} catch {
		return { importedExamples: [] };
	}
}

/** A folder as the user would type it: relative when it is inside the current folder. */
function shown(dir: string): string {
	const relative = path.relative(process.cwd(), dir);
	return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative;
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

let sandbox: Sandbox | undefined;
let n8n: N8n | undefined;
let topology: QueueTopology | undefined;
let stopping: Promise<void> | undefined;

/** Stops n8n (with its task runner) and the sandbox; safe to call more than once. */
function stopAll(reason: string): Promise<void> {
	stopping ??= (async () => {
		if (!n8n && !sandbox) return;
		step(`${reason}: stopping n8n and the sandbox…`);
		await (topology ? topology.stop() : n8n?.stop())?.catch((error) => step(`n8n did not stop cleanly: ${(error as Error).message}`));
		await sandbox?.stop().catch(() => undefined);
		step('stopped.');
	})();
	return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	// A terminal's Ctrl-C reaches npm, tsx and this process at once: repeated signals must not cut the cleanup short.
	process.on(signal, () => {
		stopAll(signal).then(() => process.exit(0));
	});
}

async function main(options: Options): Promise<void> {
	const started = Date.now();
	await assertPortFree(options.port, 'n8n', '--port');
	await assertPortFree(options.sandboxPort, 'sandbox', '--sandbox-port');

	const install = await ensureN8n(2, { log: step });
	const pkg = await packPackage(REPO_ROOT, path.join(WORK_DIR, 'packs'));

	sandbox = await startSandbox({ port: options.sandboxPort });
	const { dataset } = sandbox;
	step(`sandbox on ${sandbox.url}: portal "${sandbox.screenName}", ${dataset.chats.length} chats, ${dataset.visitors.length} visitors`);

	if (options.queue) {
		const root = path.join(WORK_DIR, `queue-dev-${Date.now().toString(36)}`);
		topology = await createTopology({ install, pkg, root, mainPort: options.port, workers: 2, concurrency: 5, webhooks: 1, log: step });
		n8n = topology.cluster.main;
		step(`installed ${pkg.name}@${pkg.version} (fresh build) into each process's folder under ${shown(root)}`);
	} else {
		fs.mkdirSync(options.userFolder, { recursive: true });
		n8n = await createN8n({
			install,
			userFolder: options.userFolder,
			port: options.port,
			env: { WEBHOOK_URL: `http://127.0.0.1:${options.port}/` },
		});
		await installPackage(n8n.userFolder, pkg);
		step(`installed ${pkg.name}@${pkg.version} (fresh build) into ${shown(n8n.userFolder)}`);
	}

	// The sandbox issues new tokens on every start, so the credential is refreshed each time (same id).
	await n8n.importCredentials([sandboxCredential(sandbox)]);

	const stateFile = path.join(n8n.dotN8n, STATE_FILE);
	const state = readState(stateFile);
	const examples = readExamples();
	const fresh = examples.filter(({ workflow }) => !state.importedExamples.includes(workflow.id));
	if (fresh.length > 0) {
		await n8n.importWorkflow(fresh.map(({ workflow }) => withSandboxCredential(workflow)));
		state.importedExamples.push(...fresh.map(({ workflow }) => workflow.id));
		fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
		step(`imported ${fresh.length} example workflow(s): ${fresh.map(({ file }) => file).join(', ')}`);
	}

	step(`starting n8n ${install.n8nVersion} on ${n8n.baseUrl}${topology ? ' in queue mode' : ''}…`);
	if (topology) await topology.cluster.start();
	else await n8n.start(120_000, options.logs ? { onOutput: (chunk) => process.stdout.write(chunk) } : {});
	for (const server of topology ? topology.cluster.processes.map((p) => p.n8n) : [n8n]) {
		void server.exited?.then(() => {
			if (stopping) return;
			step(`n8n exited unexpectedly; its log: ${path.join(server.userFolder, 'n8n-start.log')}`);
			stopAll('n8n exited').then(() => process.exit(1));
		});
	}

	let signedIn = true;
	const settings = await n8n.rest.settings();
	if (settings.userManagement?.showSetupOnFirstLoad) {
		await n8n.rest.setupOwner(DEFAULT_OWNER);
		step(`created the owner ${DEFAULT_OWNER.email}`);
	} else {
		try {
			await n8n.rest.login(DEFAULT_OWNER.email, DEFAULT_OWNER.password);
		} catch {
			signedIn = false;
		}
	}

	let connected = 'connected with the sandbox’s pre-issued tokens';
	if (signedIn) {
		try {
			const connect = await n8n.rest.connectOAuth2(CREDENTIAL_ID);
			if (connect.callbackStatus !== 200) throw new Error(`callback answered ${connect.callbackStatus}`);
			connected = 'connected through the sandbox’s OAuth flow';
		} catch (error) {
			step(`the OAuth connect flow did not complete (${(error as Error).message}); the credential keeps the pre-issued tokens`);
		}
	}

	const faqBot = examples.find(({ file }) => file === FAQ_BOT_FILE);
	if (signedIn && faqBot && fresh.includes(faqBot)) await activateBot(n8n.rest, faqBot.workflow, step);
	// Production webhooks answer at the webhook processor in queue mode.
	const faqBotUrl = faqBot && botUrl(topology ? topology.cluster.urlOf('webhook-1') : n8n.baseUrl, faqBot.workflow);

	const yesterday = utcDay(Date.now() - 86_400_000);
	const yesterdays = dataset.chats.filter((chat) => utcDay(Number(chat.chatinitiated_time)) === yesterday).length;
	const oldest = Number(dataset.chats[dataset.chats.length - 1]?.chatinitiated_time ?? dataset.anchorTime);
	const url = n8n.baseUrl;
	log();
	log(`Zoho SalesIQ + n8n ${install.n8nVersion} are running (ready in ${seconds(started)}):`);
	log();
	log(`  n8n          ${url}`);
	log(
		signedIn
			? `  sign in      ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`
			: `  sign in      with the owner account you set up in this folder (${DEFAULT_OWNER.email} no longer signs in)`,
	);
	log(`  credential   "${CREDENTIAL_NAME}", ${connected}`);
	for (const { workflow } of examples) log(`  workflow     ${workflow.name}: ${url}/workflow/${workflow.id}`);
	log(`  sandbox      ${sandbox.url} (portal "${sandbox.screenName}"; ${dataset.chats.length} chats from ${utcDay(oldest)} to now, ${yesterdays} of them yesterday, ${yesterday} UTC)`);
	log(`               control routes: ${sandbox.url}/__sandbox/info, /__sandbox/requests, /__sandbox/deliver …`);
	if (faqBotUrl) for (const line of botBanner(faqBotUrl, sandbox.url)) log(line);
	if (topology) {
		const { cluster, services } = topology;
		cluster.describe().forEach((line, i) => log(`  ${i === 0 ? 'processes' : '         '}    ${line}`));
		log(`  queue        Postgres on 127.0.0.1:${services.postgres.port}, Redis on 127.0.0.1:${services.redis.port} (temporary: removed on Ctrl-C)`);
		log(`  n8n logs     <process folder>/n8n-start.log under ${shown(path.dirname(n8n.userFolder))}`);
	} else {
		log(`  n8n folder   ${shown(n8n.userFolder)} (kept between runs; delete it to start over)`);
		log(`  n8n log      ${shown(path.join(n8n.userFolder, 'n8n-start.log'))}`);
	}
	log();
	log(`Open a workflow and click "Execute workflow". Press Ctrl-C to stop ${topology ? 'every process, Postgres, Redis' : 'n8n'} and the sandbox.`);
	step(`ready: ${url}`);
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
let options: Options;
try {
	options = parseArgs(process.argv.slice(2));
} catch (error) {
	process.stderr.write(`[start] ${(error as Error).message}\n${USAGE}\n`);
	process.exit(2);
}
main(options).catch((error: unknown) => {
	process.stderr.write(`[start] ${error instanceof UsageError ? '' : 'failed: '}${(error as Error).message}\n`);
	stopAll('error').then(() => process.exit(1));
});
