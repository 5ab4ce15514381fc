/**
 * `npm start -- --queue` as a user runs it: one command brings up Postgres, Redis, the sandbox and n8n
 * in queue mode (main, two workers, a webhook processor) with the package, an owner, the credential
 * and the examples; it prints which process is which; the export example runs; the CRM webhook
 * example answers at the webhook processor, not at the main; Ctrl-C leaves no process, port or
 * temporary database behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { flavor } from '../lib/install';
import { freePort, sleep } from '../lib/n8n';
import { REPO_ROOT, WORK_DIR } from '../lib/paths';
import { alive, listening, processesOf, processesWhere } from '../lib/processes';
import { N8nRest } from '../lib/rest';
import { SERVICES_PREFIX } from '../lib/services';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const example = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
const EXPORT = example('export-yesterdays-chats.json');
const CRM = example('update-visitor-from-crm-webhook.json');

let child: ChildProcess | undefined;
let output = '';
let exit: Promise<number | null>;
let n8nPort: number;
let sandboxPort: number;

function cleanEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|JEST_|NODE_ENV$|PORT$|SANDBOX_PORT$)/i.test(key)) env[key] = value;
	return env;
}

/** The temporary folders of this machine's queue-mode services, to tell ours apart from earlier ones. */
function serviceFolders(): string[] {
	return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(SERVICES_PREFIX)).map((name) => path.join(os.tmpdir(), name));
}

async function rest(): Promise<N8nRest> {
	const fromN8n = createRequire(path.join(flavor(2).installDir, 'node_modules', 'n8n', 'package.json'));
	const client = new N8nRest(`http://127.0.0.1:${n8nPort}`, (m) => fromN8n(m));
	await client.login();
	return client;
}

/** The n8n processes' folders, from the "processes" lines of the output. */
function printed(): Array<{ name: string; pid: number; url: string }> {
	return [...output.matchAll(/^ {2}(?:processes| {9}) {4}(main|worker-\d|webhook-\d) +(\S+) +pid (\d+)/gm)].map((m) => ({ name: m[1], url: m[2], pid: Number(m[3]) }));
}

const foldersBefore = new Set<string>();

beforeAll(async () => {
	for (const folder of serviceFolders()) foldersBefore.add(folder);
	n8nPort = await freePort();
	sandboxPort = await freePort();
	child = spawn(TSX, ['test/e2e/start.ts', '--queue', '--port', String(n8nPort), '--sandbox-port', String(sandboxPort)], {
		cwd: REPO_ROOT,
		env: cleanEnv(),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
	exit = new Promise((resolve) => child!.on('close', (code) => resolve(code)));
	const deadline = Date.now() + 480_000;
	while (!/\[start\] ready: /.test(output)) {
		if (child.exitCode !== null) throw new Error(`start.ts --queue exited:\n${output}`);
		if (Date.now() > deadline) throw new Error(`start.ts --queue was not ready:\n${output}`);
		await sleep(500);
	}
}, 600_000);

afterAll(async () => {
	if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
});

describe('npm start -- --queue', () => {
	it('prints which process is which: a main, two workers and a webhook processor', () => {
		expect(printed().map((p) => p.name)).toEqual(['main', 'worker-1', 'worker-2', 'webhook-1']);
		expect(printed()[0].url).toBe(`http://127.0.0.1:${n8nPort}`);
		expect(output).toMatch(/Postgres on 127\.0\.0\.1:\d+, Redis on 127\.0\.0\.1:\d+/);
		expect(printed().every((p) => alive(p.pid))).toBe(true);
	});

	it('runs the export example on the workers', async () => {
		const client = await rest();
		// The node nothing leads to is the trigger.
		const targets = Object.values(EXPORT.connections as Record<string, { main: Array<Array<{ node: string }>> }>).flatMap((c) => c.main.flat().map((to) => to.node));
		const trigger = EXPORT.nodes.find((node: { name: string }) => !targets.includes(node.name));
		const executionId = await client.runWorkflow(EXPORT.id, trigger.name);
		const execution = await client.waitForExecution(EXPORT.id, {
			timeoutMs: 120_000,
			done: (e) => e.id === executionId && !['new', 'running', 'waiting'].includes(e.status),
		});
		expect(execution.status).toBe('success');
	});

	it('serves the CRM webhook example at the webhook processor, not at the main', async () => {
		const client = await rest();
		await client.activateWorkflow(CRM.id);
		const webhook = CRM.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-base.webhook');
		const processor = printed().find((p) => p.name === 'webhook-1')!;
		const { visitors } = (await (await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox/dataset?chats=0&visitors=20`)).json()) as { visitors: Array<{ email?: string }> };
		const email = visitors.find((v) => v.email)!.email;
		const post = (base: string) =>
			fetch(`${base}/webhook/${webhook.parameters.path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email, crm_id: 'L-2002', plan: 'team', owner: 'Queue' }),
			});
		expect((await post(`http://127.0.0.1:${n8nPort}`)).status).toBe(404);
		expect((await post(processor.url)).status).toBe(200);
	});

	it('Ctrl-C stops every process, Postgres and Redis, and removes the temporary database', async () => {
		const ours = serviceFolders().filter((folder) => !foldersBefore.has(folder));
		expect(ours).toHaveLength(1);
		const [servicesFolder] = ours;
		const services = processesWhere(({ cmdline }) => cmdline.includes(servicesFolder));
		const n8nRoot = path.dirname(fs.readlinkSync(`/proc/${printed()[0].pid}/cwd`));
		expect(n8nRoot.startsWith(WORK_DIR)).toBe(true);
		const n8nProcesses = processesOf(n8nRoot);
		// postgres (with its own workers) and redis; four n8n processes, each with a task runner.
		expect(services.length).toBeGreaterThanOrEqual(2);
		expect(n8nProcesses.length).toBeGreaterThanOrEqual(4);

		process.kill(-child!.pid!, 'SIGINT');
		expect(await exit).toBe(0);
		expect([...services, ...n8nProcesses].filter(alive)).toEqual([]);
		expect(processesOf(n8nRoot)).toEqual([]);
		expect(fs.existsSync(servicesFolder)).toBe(false);
		expect(fs.existsSync(n8nRoot)).toBe(false);
		for (const { url } of printed()) expect(await listening(Number(new URL(url).port))).toBe(false);
		expect(await listening(sandboxPort)).toBe(false);
	});
});
