/**
 * Postgres and Redis for n8n's queue mode, started by the tests themselves: Debian's packages
 * (`postgresql`, `redis-server`, installed with apt-get when missing), free loopback ports, data in one
 * temporary folder, no system service. Postgres refuses to run as root, so as root it runs as the
 * `postgres` user (or `nobody`) through `setpriv`, which execs in place: the pid we hold is the server.
 * `stop()` ends both and removes the folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort, sleep } from './n8n';

const run = promisify(execFile);

/** Every temporary folder of these services starts with this, under the system's temp folder. */
export const SERVICES_PREFIX = 'zoho-salesiq-queue-';

export interface PostgresInfo {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

export interface RedisInfo {
	host: string;
	port: number;
}

type Log = (line: string) => void;

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

function redisBinary(): string | undefined {
	return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Installs `postgresql` and `redis-server` with apt-get when either is missing. Debian starts a
 * package's service on install unless /usr/sbin/policy-rc.d says no; when there is none, one that
 * refuses is put there for the install and removed afterwards, so nothing runs as a system service.
 */
export async function ensureServicePackages(log: Log): Promise<void> {
	const missing = [...(postgresBinDir() ? [] : ['postgresql']), ...(redisBinary() ? [] : ['redis-server'])];
	if (missing.length === 0) return;
	if (!isRoot()) throw new Error(`queue mode needs ${missing.join(' and ')}: install ${missing.join(' ')} (apt-get) and run again`);
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		log(`apt-get update, then install ${missing.join(' ')}`);
		await run('apt-get', ['update', '-qq'], { env, maxBuffer: 64 * 1024 * 1024 });
		await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, maxBuffer: 64 * 1024 * 1024 });
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
	if (!postgresBinDir() || !redisBinary()) throw new Error(`apt-get install ${missing.join(' ')} did not provide the servers`);
}

/** The unprivileged account postgres runs as when the tests run as root. */
function postgresAccount(): { uid: number; gid: number; name: string } | undefined {
	if (!isRoot()) return undefined;
	const passwd = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
	for (const name of ['postgres', 'nobody']) {
		const line = passwd.find((l) => l.startsWith(`${name}:`));
		if (line) {
			const [, , uid, gid] = line.split(':');
			return { name, uid: Number(uid), gid: Number(gid) };
		}
	}
	throw new Error('no unprivileged account (postgres or nobody) to run postgres as');
}

interface Server {
	name: string;
	child: ChildProcess;
	exit: Promise<void>;
	output: () => string;
}

function startServer(name: string, file: string, args: string[], asUser?: { uid: number; gid: number }): Server {
	const [cmd, argv] = asUser
		? ['setpriv', [`--reuid=${asUser.uid}`, `--regid=${asUser.gid}`, '--clear-groups', '--', file, ...args]]
		: [file, args];
	const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let text = '';
	const keep = (c: Buffer) => (text = (text + c.toString()).slice(-20_000));
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const exit = new Promise<void>((resolve) => child.on('close', () => resolve()));
	return { name, child, exit, output: () => text };
}

async function stopServer(server: Server, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
	if (server.child.exitCode !== null || server.child.signalCode !== null) return;
	try {
		process.kill(server.child.pid!, signal);
	} catch {
		return;
	}
	let timer: NodeJS.Timeout | undefined;
	const exited = await Promise.race([server.exit.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
	clearTimeout(timer);
	if (!exited) {
		try {
			process.kill(-server.child.pid!, 'SIGKILL');
		} catch {
			// Gone meanwhile.
		}
		await server.exit;
	}
}

async function waitUntil(what: string, server: Server, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void server.exit.then(() => (exited = true));
	while (!(await ready())) {
		if (exited) throw new Error(`${what} exited before it was ready:\n${server.output()}`);
		if (Date.now() > deadline) throw new Error(`${what} was not ready after ${timeoutMs} ms:\n${server.output()}`);
		await sleep(200);
	}
}

const live = new Set<QueueServices>();
process.once('exit', () => {
	for (const services of live) services.killNow();
});

export class QueueServices {
	private servers: Server[] = [];

	private constructor(
		/** The temporary folder holding both servers' data and sockets. */
		readonly root: string,
		readonly postgres: PostgresInfo,
		readonly redis: RedisInfo,
	) {}

	/** Starts Postgres and Redis on free loopback ports, each with its data in a fresh temporary folder. */
	static async start(log: Log = () => undefined): Promise<QueueServices> {
		await ensureServicePackages(log);
		const root = fs.mkdtempSync(path.join(os.tmpdir(), SERVICES_PREFIX));
		const services = new QueueServices(
			root,
			{ host: '127.0.0.1', port: await freePort(), database: 'n8n', user: 'n8n', password: 'n8n-queue-e2e' },
			{ host: '127.0.0.1', port: await freePort() },
		);
		live.add(services);
		try {
			await services.startPostgres(log);
			await services.startRedis(log);
		} catch (error) {
			await services.stop();
			throw error;
		}
		return services;
	}

	private async startPostgres(log: Log): Promise<void> {
		const bin = postgresBinDir()!;
		const account = postgresAccount();
		const dir = path.join(this.root, 'postgres');
		const data = path.join(dir, 'data');
		fs.mkdirSync(dir, { mode: 0o700 });
		if (account) {
			// The account must reach its folder: the temp root is private to root otherwise.
			fs.chmodSync(this.root, 0o755);
			fs.chownSync(dir, account.uid, account.gid);
		}
		const pwFile = path.join(dir, 'pw');
		fs.writeFileSync(pwFile, this.postgres.password, { mode: 0o600 });
		if (account) fs.chownSync(pwFile, account.uid, account.gid);
		const asUser = account ? ['setpriv', `--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', '--'] : [];
		const started = Date.now();
		const [cmd, ...args] = [
			...asUser,
			path.join(bin, 'initdb'),
			'-D',
			data,
			'-U',
			this.postgres.user,
			`--pwfile=${pwFile}`,
			'--auth=scram-sha-256',
			'-E',
			'UTF8',
			'--locale=C',
			'--no-sync',
		];
		await run(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
		fs.rmSync(pwFile);
		const server = startServer(
			'postgres',
			path.join(bin, 'postgres'),
			[
				'-D',
				data,
				'-p',
				String(this.postgres.port),
				'-k',
				dir,
				'-c',
				'listen_addresses=127.0.0.1',
				// A throwaway database: durability is not wanted, speed is.
				'-c',
				'fsync=off',
				'-c',
				'synchronous_commit=off',
				'-c',
				'full_page_writes=off',
				'-c',
				'max_connections=200',
			],
			account,
		);
		this.servers.push(server);
		const isReady = path.join(bin, 'pg_isready');
		await waitUntil(
			'postgres',
			server,
			async () => {
				try {
					await run(isReady, ['-q', '-h', '127.0.0.1', '-p', String(this.postgres.port)]);
					return true;
				} catch {
					return false;
				}
			},
			60_000,
		);
		await run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(this.postgres.port), '-U', this.postgres.user, this.postgres.database], {
			env: { ...process.env, PGPASSWORD: this.postgres.password },
		});
		log(`postgres ${path.basename(path.dirname(bin))} on 127.0.0.1:${this.postgres.port}${account ? ` as ${account.name}` : ''} (${Date.now() - started} ms)`);
	}

	private async startRedis(log: Log): Promise<void> {
		const dir = path.join(this.root, 'redis');
		fs.mkdirSync(dir);
		const started = Date.now();
		const server = startServer('redis', redisBinary()!, [
			'--port',
			String(this.redis.port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		]);
		this.servers.push(server);
		await waitUntil('redis', server, async () => /Ready to accept connections/.test(server.output()), 30_000);
		log(`redis on 127.0.0.1:${this.redis.port} (${Date.now() - started} ms)`);
	}

	/** Process ids of the two servers (the postgres postmaster and redis-server). */
	get pids(): number[] {
		return this.servers.map((s) => s.child.pid!).filter((pid) => pid !== undefined);
	}

	/** The settings that point n8n at these servers. */
	n8nEnv(): NodeJS.ProcessEnv {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: this.postgres.host,
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: this.postgres.database,
			DB_POSTGRESDB_USER: this.postgres.user,
			DB_POSTGRESDB_PASSWORD: this.postgres.password,
			QUEUE_BULL_REDIS_HOST: this.redis.host,
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
		};
	}

	/** Runs SQL with psql and returns the rows as tab-separated lines. */
	async sql(query: string): Promise<string[]> {
		const { stdout } = await run(
			path.join(postgresBinDir()!, 'psql'),
			['-h', this.postgres.host, '-p', String(this.postgres.port), '-U', this.postgres.user, '-d', this.postgres.database, '-At', '-F', '\t', '-c', query],
			{ env: { ...process.env, PGPASSWORD: this.postgres.password }, maxBuffer: 64 * 1024 * 1024 },
		);
		return stdout.split('\n').filter((line) => line !== '');
	}

	/** Stops Redis, then Postgres (fast shutdown), and removes the temporary folder. */
	async stop(): Promise<void> {
		for (const server of [...this.servers].reverse()) {
			await stopServer(server, server.name === 'postgres' ? 'SIGINT' : 'SIGTERM');
		}
		this.servers = [];
		fs.rmSync(this.root, { recursive: true, force: true });
		live.delete(this);
	}

	/** Last resort on process exit: SIGKILL both servers and remove the folder. */
	killNow(): void {
		for (const server of this.servers) {
			try {
				process.kill(-server.child.pid!, 'SIGKILL');
			} catch {
				// Gone.
			}
		}
		fs.rmSync(this.root, { recursive: true, force: true });
	}
}
