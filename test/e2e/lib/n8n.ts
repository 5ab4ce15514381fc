/**
 * Drives a real n8n from tests: a throwaway user folder, the loopback-only environment, the CLI
 * (import, execute, export), and `n8n start` as a child process with a small REST client.
 * n8n runs on the Node of its install (24 for 2.x); this file runs on the test runner's Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as path from 'node:path';
import { ensureN8n, type N8nInstall, type N8nMajor } from './install';
import { WORK_DIR } from './paths';
import { N8nRest } from './rest';

/** Fixed so that every command of one instance reads what an earlier one encrypted. */
export const ENCRYPTION_KEY = 'zoho-salesiq-e2e-encryption-key-0001';

/** Nothing listens on the discard port: every endpoint n8n might phone home to points here. */
const CLOSED = 'http://127.0.0.1:9';

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface LoopbackEnvOptions {
	major: N8nMajor;
	userFolder: string;
	port: number;
	brokerPort: number;
	pathPrefix?: string[];
}

/** The environment of every n8n process: loopback only, SQLite, fixed key, no phoning home. */
export function loopbackEnv(o: LoopbackEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Nothing of the outer npm run, the test runner (jest's NODE_ENV=test silences n8n's logger, and with
		// it the result of `execute` and every line of `start`), or a developer's own n8n settings.
		if (/^(npm_|N8N_|DB_|NODE_OPTIONS$|NODE_PATH$|NODE_ENV$|JEST_|TS_JEST$|EXECUTIONS_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/i.test(key)) {
			continue;
		}
		env[key] = value;
	}
	Object.assign(env, {
		PATH: [...(o.pathPrefix ?? []), process.env.PATH ?? ''].join(path.delimiter),
		N8N_USER_FOLDER: o.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(o.port),
		N8N_RUNNERS_BROKER_PORT: String(o.brokerPort),
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_DIAGNOSTICS_POSTHOG_API_HOST: CLOSED,
		N8N_VERSION_NOTIFICATIONS_ENDPOINT: CLOSED,
		N8N_TEMPLATES_HOST: CLOSED,
		N8N_DYNAMIC_BANNERS_ENDPOINT: CLOSED,
		N8N_LICENSE_SERVER_URL: CLOSED,
		N8N_COMMUNITY_PACKAGES_REGISTRY: CLOSED,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	});
	// 2.x fetches a list of MCP servers at boot; on 1.x the module is unknown and naming it is fatal.
	if (o.major === 2) env.N8N_DISABLED_MODULES = 'mcp-registry';
	return env;
}

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface CliOptions {
	timeoutMs?: number;
	/** Resolve instead of throwing on a non-zero exit. */
	allowFailure?: boolean;
}

/** n8n's run object, as `execute --rawOutput` prints it. */
export interface N8nRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<Array<N8nItem> | null> }; executionStatus?: string; error?: any }>>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string; [key: string]: unknown };
		};
	};
	[key: string]: unknown;
}

export interface N8nItem {
	json: Record<string, any>;
	binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string; data?: string; id?: string; [key: string]: unknown }>;
	pairedItem?: unknown;
}

export interface ExecuteResult extends CliResult {
	run: N8nRun;
}

/** The pretty-printed run is the only JSON whose outer braces sit in column 0. */
export function extractRun(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	if (start < 0) return undefined;
	const end = lines.indexOf('}', start);
	if (end < 0) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/** Items of one node's output in a run (first run of the node, output 0 unless told). */
export function itemsOf(run: N8nRun, nodeName: string, output = 0): N8nItem[] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	const last = runs[runs.length - 1];
	if (last.error) throw new Error(`node "${nodeName}" failed: ${last.error.message ?? JSON.stringify(last.error)}`);
	return last.data?.main?.[output] ?? [];
}

export function jsonOf(run: N8nRun, nodeName: string, output = 0): Array<Record<string, any>> {
	return itemsOf(run, nodeName, output).map((item) => item.json);
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain data: n8n encrypts it with the instance key on import. */
	data: Record<string, unknown>;
}

export interface N8nOptions {
	major?: N8nMajor;
	/** Use this install instead of resolving (and, if needed, installing) one. */
	install?: N8nInstall;
	/** Prefix of the throwaway user folder's name. */
	name?: string;
	/** Use this folder instead of a fresh one under test/e2e/.work (kept on dispose). */
	userFolder?: string;
	port?: number;
	env?: NodeJS.ProcessEnv;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

process.once('exit', () => {
	for (const child of running) killGroup(child, 'SIGKILL');
});

export class N8n {
	readonly rest: N8nRest;
	readonly baseUrl: string;
	private server?: ChildProcess;
	private serverLog = '';
	private serverExit?: Promise<void>;

	constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		readonly port: number,
		readonly brokerPort: number,
		readonly env: NodeJS.ProcessEnv,
		private readonly ownsFolder: boolean,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.rest = new N8nRest(this.baseUrl, (m) => this.loadFromN8n(m));
	}

	get major(): N8nMajor {
		return this.install.major;
	}

	/** Where n8n keeps its database, config and community packages. */
	get dotN8n(): string {
		return path.join(this.userFolder, '.n8n');
	}

	/** Requires a module from n8n's own install (e.g. `flatted`), whatever the test runner has. */
	loadFromN8n<T = any>(module: string): T {
		return createRequire(path.join(this.install.installDir, 'node_modules', 'n8n', 'package.json'))(module);
	}

	/** Runs `n8n <args>` to completion. The process gets its own group so a timeout kills its runner too. */
	cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
		const started = Date.now();
		const timeoutMs = options.timeoutMs ?? 120_000;
		return new Promise((resolve, reject) => {
			const child = spawn(this.install.nodeBin, [this.install.n8nBin, ...args], {
				cwd: this.userFolder,
				env: this.env,
				detached: true,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			running.add(child);
			let stdout = '';
			let stderr = '';
			child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
			child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				running.delete(child);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				running.delete(child);
				// The task runner child may outlive a CLI command that exits; it must not linger.
				killGroup(child, 'SIGKILL');
				const result = { code, signal, stdout, stderr, ms: Date.now() - started };
				if (code !== 0 && !options.allowFailure) {
					const why = signal ? `signal ${signal}` : Date.now() - started >= timeoutMs ? 'timeout' : `exit ${code}`;
					reject(new Error(`n8n ${args.join(' ')} failed (${why}):\n${tail(stdout)}\n${tail(stderr)}`));
				} else {
					resolve(result);
				}
			});
		});
	}

	private writeInput(name: string, data: unknown): string {
		const dir = path.join(this.userFolder, 'inputs');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${name}-${randomBytes(4).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		await this.cli(['import:credentials', `--input=${this.writeInput('credentials', credentials)}`]);
	}

	/** Imports workflows; each needs a fixed `id` (16 characters on 2.x) to be executed by id. */
	async importWorkflow(workflows: object | object[]): Promise<void> {
		const list = Array.isArray(workflows) ? workflows : [workflows];
		await this.cli(['import:workflow', `--input=${this.writeInput('workflows', list)}`]);
	}

	/**
	 * `n8n execute --id=… --rawOutput`, and the run parsed from stdout. Exit code 0 alone proves nothing
	 * (a workflow that never ran also exits 0), so a missing run is an error. A failed run (exit 1) still
	 * resolves, with `run.data.resultData.error` set.
	 */
	async execute(workflowId: string, options: CliOptions = {}): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { ...options, allowFailure: true });
		const run = extractRun(result.stdout);
		if (!run) {
			throw new Error(`n8n execute --id=${workflowId} printed no run (exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		}
		return { ...result, run };
	}

	/** `export:credentials --decrypted`: the stored credentials with plain data, tokens included. */
	async exportCredentials(id?: string): Promise<Array<CredentialImport & { data: Record<string, any> }>> {
		const dir = path.join(this.userFolder, 'outputs');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `credentials-${randomBytes(4).toString('hex')}.json`);
		await this.cli(['export:credentials', ...(id ? [`--id=${id}`] : ['--all']), '--decrypted', `--output=${file}`]);
		const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
		fs.rmSync(file);
		return Array.isArray(exported) ? exported : [exported];
	}

	/**
	 * Starts `n8n start` (or another long-running command, e.g. `worker`) as a direct child in its own
	 * process group and waits until `ready` (default: REST answers). `onOutput` also receives everything
	 * the server prints (it always goes to n8n-start.log).
	 */
	async start(
		timeoutMs = 90_000,
		options: { onOutput?: (chunk: Buffer) => void; command?: string[]; ready?: () => Promise<boolean> } = {},
	): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		const logFile = fs.createWriteStream(path.join(this.userFolder, 'n8n-start.log'), { flags: 'a' });
		this.serverLog = '';
		const ready = options.ready ?? (() => this.rest.isReady());
		const child = spawn(this.install.nodeBin, [this.install.n8nBin, ...(options.command ?? ['start'])], {
			cwd: this.userFolder,
			env: this.env,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		running.add(child);
		this.server = child;
		const onData = (c: Buffer) => {
			logFile.write(c);
			options.onOutput?.(c);
			this.serverLog = (this.serverLog + c.toString()).slice(-200_000);
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		let exited = false;
		this.serverExit = new Promise((resolve) =>
			child.on('close', () => {
				exited = true;
				running.delete(child);
				logFile.end();
				resolve();
			}),
		);
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (exited) throw new Error(`n8n ${(options.command ?? ['start']).join(' ')} exited before it was ready:\n${tail(this.serverLog)}`);
			if (await ready()) return;
			await sleep(500);
		}
		await this.stop();
		throw new Error(`n8n ${(options.command ?? ['start']).join(' ')} was not ready after ${timeoutMs} ms:\n${tail(this.serverLog)}`);
	}

	/** The server's output so far (stdout and stderr interleaved). */
	get logs(): string {
		return this.serverLog;
	}

	/** Stops the server and everything it spawned: SIGTERM to the group, SIGKILL after a grace period. */
	async stop(graceMs = 20_000): Promise<void> {
		const child = this.server;
		if (!child) return;
		killGroup(child, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.serverExit, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
		clearTimeout(timer);
		killGroup(child, 'SIGKILL');
		await this.serverExit;
		this.server = undefined;
		this.rest.forgetSession();
	}

	/** The server's process id (the leader of its process group), while it runs. */
	get pid(): number | undefined {
		return this.server?.pid;
	}

	/** Kills the server and its task runner at once (SIGKILL to the group), as a crash would. */
	async kill(): Promise<void> {
		const child = this.server;
		if (!child) return;
		killGroup(child, 'SIGKILL');
		await this.serverExit;
		this.server = undefined;
		this.rest.forgetSession();
	}

	/** Resolves when the server process has exited (undefined when it is not running). */
	get exited(): Promise<void> | undefined {
		return this.server ? this.serverExit : undefined;
	}

	get isRunning(): boolean {
		return this.server !== undefined;
	}

	/** Stops the server and removes the throwaway user folder (unless E2E_KEEP is set or the folder was given). */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsFolder && !process.env.E2E_KEEP) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** A fresh n8n instance (not started) with its own user folder and ports. */
export async function createN8n(options: N8nOptions = {}): Promise<N8n> {
	const install = options.install ?? (await ensureN8n(options.major ?? 2));
	const ownsFolder = !options.userFolder;
	const userFolder =
		options.userFolder ??
		path.join(WORK_DIR, `${options.name ?? 'n8n'}-${install.major}x-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	const port = options.port ?? (await freePort());
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const env = {
		...loopbackEnv({ major: install.major, userFolder, port, brokerPort, pathPrefix: install.pathPrefix }),
		...options.env,
	};
	return new N8n(install, userFolder, port, brokerPort, env, ownsFolder);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
