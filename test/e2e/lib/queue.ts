/**
 * n8n's queue mode, for real: one main (`n8n start`), workers (`n8n worker`) and webhook processors
 * (`n8n webhook`), sharing one Postgres database, one Redis queue and one encryption key. Each process
 * has its own user folder with the package installed, as separate machines would. The main serves the
 * editor and REST; production webhooks go to the webhook processors only (WEBHOOK_URL points at the
 * first); manual executions are offloaded to the workers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { N8nInstall } from './install';
import { createN8n, freePort, type N8n } from './n8n';
import { installPackage, type PackedPackage } from './package';
import { QueueServices } from './services';

export type Role = 'main' | 'worker' | 'webhook';

export interface QueueProcess {
	/** main, worker-1, worker-2, webhook-1, … */
	name: string;
	role: Role;
	n8n: N8n;
}

export interface QueueClusterOptions {
	install: N8nInstall;
	pkg: PackedPackage;
	services: QueueServices;
	/** Holds one user folder per process. */
	root: string;
	workers?: number;
	/** Jobs each worker runs at once. */
	concurrency?: number;
	webhooks?: number;
	mainPort?: number;
	/** Port of the first webhook processor (the one WEBHOOK_URL names). */
	webhookPort?: number;
	/** Settings for every process (after the queue-mode ones). */
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
}

/** Settings that make a dead worker's job show up within a minute instead of the defaults' several. */
export const FAST_RECOVERY_ENV: NodeJS.ProcessEnv = {
	QUEUE_WORKER_LOCK_DURATION: '30000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '10000',
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
};

async function httpOk(url: string): Promise<boolean> {
	try {
		const res = await fetch(url);
		await res.arrayBuffer();
		return res.status === 200;
	} catch {
		return false;
	}
}

export class QueueCluster {
	readonly processes: QueueProcess[] = [];
	private webhookCount = 0;

	private constructor(
		private readonly options: QueueClusterOptions,
		readonly webhookPort: number,
		private readonly sharedEnv: NodeJS.ProcessEnv,
	) {}

	/** Creates the user folders and installs the package in each; starts nothing yet. */
	static async create(options: QueueClusterOptions): Promise<QueueCluster> {
		fs.mkdirSync(options.root, { recursive: true });
		const webhookPort = options.webhookPort ?? (await freePort());
		const sharedEnv: NodeJS.ProcessEnv = {
			...options.services.n8nEnv(),
			EXECUTIONS_MODE: 'queue',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			// Production webhooks are the webhook processors' job, not the main's.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...options.env,
		};
		const cluster = new QueueCluster(options, webhookPort, sharedEnv);
		await cluster.add('main', 'main', options.mainPort);
		for (let i = 1; i <= (options.workers ?? 2); i++) await cluster.add('worker', `worker-${i}`);
		for (let i = 0; i < (options.webhooks ?? 1); i++) await cluster.addWebhookProcessor();
		return cluster;
	}

	private async add(role: Role, name: string, port?: number): Promise<QueueProcess> {
		const userFolder = path.join(this.options.root, name);
		fs.mkdirSync(userFolder, { recursive: true });
		const chosen = port ?? (await freePort());
		const n8n = await createN8n({
			install: this.options.install,
			userFolder,
			port: chosen,
			env: {
				...this.sharedEnv,
				...(role === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(chosen) } : {}),
			},
		});
		await installPackage(userFolder, this.options.pkg);
		const proc = { name, role, n8n };
		this.processes.push(proc);
		return proc;
	}

	/** Adds (does not start) one more webhook processor; the first gets the WEBHOOK_URL port. */
	async addWebhookProcessor(): Promise<QueueProcess> {
		this.webhookCount += 1;
		return this.add('webhook', `webhook-${this.webhookCount}`, this.webhookCount === 1 ? this.webhookPort : undefined);
	}

	get main(): N8n {
		return this.byName('main').n8n;
	}

	get workers(): QueueProcess[] {
		return this.processes.filter((p) => p.role === 'worker');
	}

	get webhooks(): QueueProcess[] {
		return this.processes.filter((p) => p.role === 'webhook');
	}

	byName(name: string): QueueProcess {
		const found = this.processes.find((p) => p.name === name);
		if (!found) throw new Error(`no process ${name}`);
		return found;
	}

	/** Base URL of a process's HTTP server (a worker's is its health server). */
	urlOf(name: string): string {
		return this.byName(name).n8n.baseUrl;
	}

	/** Starts one process and waits until it is ready; one that exits during start-up gets a second try. */
	async startProcess(name: string, timeoutMs = 180_000): Promise<void> {
		try {
			await this.startOnce(name, timeoutMs);
		} catch (error) {
			if (!/exited before it was ready/.test((error as Error).message)) throw error;
			this.options.log?.(`${name} exited during start-up; starting it again (its log: ${path.join(this.byName(name).n8n.userFolder, 'n8n-start.log')})`);
			await this.byName(name).n8n.stop();
			await this.startOnce(name, timeoutMs);
		}
	}

	private async startOnce(name: string, timeoutMs: number): Promise<void> {
		const { role, n8n } = this.byName(name);
		const started = Date.now();
		if (role === 'main') {
			await n8n.start(timeoutMs);
		} else if (role === 'worker') {
			await n8n.start(timeoutMs, {
				command: ['worker', `--concurrency=${this.options.concurrency ?? 5}`],
				ready: () => httpOk(`${n8n.baseUrl}/healthz/readiness`),
			});
		} else {
			await n8n.start(timeoutMs, { command: ['webhook'], ready: () => httpOk(`${n8n.baseUrl}/healthz/readiness`) });
		}
		this.options.log?.(`${name} ready on ${n8n.baseUrl} (pid ${n8n.pid}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
	}

	/** Starts the main first (it migrates the database), then every other process at once. */
	async start(): Promise<void> {
		await this.startProcess('main');
		await Promise.all(this.processes.filter((p) => p.role !== 'main' && !p.n8n.isRunning).map((p) => this.startProcess(p.name)));
	}

	/** Which worker ran an execution, read from the workers' own logs ("Worker started execution N"). */
	workerOf(executionId: string): string | undefined {
		const line = new RegExp(`Worker started execution ${executionId} \\(job`);
		return this.workers.find((w) => line.test(w.n8n.logs))?.name;
	}

	/** Execution ids each worker started, from its log. */
	executionsByWorker(): Record<string, string[]> {
		const result: Record<string, string[]> = {};
		for (const worker of this.workers) {
			result[worker.name] = [...worker.n8n.logs.matchAll(/Worker started execution (\d+) \(job/g)].map((m) => m[1]);
		}
		return result;
	}

	/** One line per process: its name, address, pid and job. */
	describe(): string[] {
		const jobs: Record<Role, string> = {
			main: 'editor, REST API, activation, schedules',
			worker: `runs executions, ${this.options.concurrency ?? 5} at a time`,
			webhook: 'receives production webhooks',
		};
		return this.processes.map(({ name, role, n8n }) => {
			const address = role === 'worker' ? `${n8n.baseUrl}/healthz` : n8n.baseUrl;
			return `${name.padEnd(10)} ${address.padEnd(30)} pid ${String(n8n.pid ?? '-').padEnd(8)} ${jobs[role]}`;
		});
	}

	/** Stops every process: webhook processors and workers first, the main last. */
	async stop(): Promise<void> {
		await Promise.all(this.processes.filter((p) => p.role !== 'main').map((p) => p.n8n.stop()));
		await this.main.stop();
	}

	/** Stops everything and removes every user folder (unless E2E_KEEP is set). */
	async dispose(): Promise<void> {
		await this.stop();
		if (!process.env.E2E_KEEP) fs.rmSync(this.options.root, { recursive: true, force: true });
	}
}

export interface QueueTopology {
	services: QueueServices;
	cluster: QueueCluster;
	/** Stops every n8n process, then Postgres and Redis, and removes their folders. */
	stop(): Promise<void>;
}

/** Starts Postgres and Redis and creates (does not start) the n8n processes on them. */
export async function createTopology(options: Omit<QueueClusterOptions, 'services'>): Promise<QueueTopology> {
	const services = await QueueServices.start(options.log);
	let cluster: QueueCluster;
	try {
		cluster = await QueueCluster.create({ ...options, services });
	} catch (error) {
		await services.stop();
		throw error;
	}
	return {
		services,
		cluster,
		stop: async () => {
			await cluster.dispose().catch(() => undefined);
			await services.stop();
		},
	};
}
