/**
 * The queue-mode suite's environment: Postgres and Redis, the sandbox, and a queue-mode n8n (main,
 * two workers, one webhook processor) with the package, an owner and the sandbox credential. Also
 * running many executions at once, waiting for them, and keeping the measured figures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { branchWorkflow, sandboxCredential, type NodeSpec } from '../lib/fixtures';
import { ensureN8n } from '../lib/install';
import { sleep } from '../lib/n8n';
import { WORK_DIR } from '../lib/paths';
import { createTopology, FAST_RECOVERY_ENV, type QueueTopology } from '../lib/queue';
import type { ExecutionSummary, N8nRest } from '../lib/rest';
import { packedPackage } from '../lib/suite';

export interface QueueEnv extends QueueTopology {
	sandbox: Sandbox;
	rest: N8nRest;
}

const log = (line: string) => process.stdout.write(`[queue] ${line}\n`);

export async function startQueueEnv(sandboxOptions: SandboxOptions): Promise<QueueEnv> {
	const install = await ensureN8n(2);
	const sandbox = await startSandbox(sandboxOptions);
	const topology = await createTopology({
		install,
		pkg: await packedPackage(),
		root: path.join(WORK_DIR, `queue-${Date.now().toString(36)}`),
		workers: 2,
		concurrency: 5,
		webhooks: 1,
		env: FAST_RECOVERY_ENV,
		log,
	});
	const { cluster } = topology;
	try {
		await cluster.main.importCredentials([sandboxCredential(sandbox)]);
		await cluster.start();
		await cluster.main.rest.setupOwner();
	} catch (error) {
		await stopQueueEnv({ ...topology, sandbox });
		throw error;
	}
	return { ...topology, sandbox, rest: cluster.main.rest };
}

export async function stopQueueEnv(env: Partial<QueueEnv>): Promise<void> {
	await env.stop?.();
	await env.sandbox?.stop();
}

/** Saves a workflow "Start → node 1 → node 2 …" through REST and returns its id. */
export async function saveChain(rest: N8nRest, name: string, chain: NodeSpec[]): Promise<string> {
	const { id: _id, ...workflow } = branchWorkflow('queueSuiteChain0', name, [chain]);
	return (await rest.createWorkflow(workflow)).id;
}

const FINAL = ['success', 'error', 'crashed', 'canceled'];

/** Waits until every execution has a final status; returns them by id. */
export async function waitForAll(rest: N8nRest, workflowId: string, ids: string[], timeoutMs: number): Promise<Map<string, ExecutionSummary>> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const listed = new Map((await rest.listExecutions(workflowId)).map((e) => [String(e.id), e]));
		const pending = ids.filter((id) => !FINAL.includes(listed.get(id)?.status ?? 'new'));
		if (pending.length === 0) return new Map(ids.map((id) => [id, listed.get(id)!]));
		if (Date.now() > deadline) {
			throw new Error(`executions still running after ${timeoutMs} ms: ${pending.map((id) => `${id}=${listed.get(id)?.status}`).join(', ')}`);
		}
		await sleep(1000);
	}
}

/** Starts `count` manual runs of a workflow at once (each goes to the queue). */
export async function runMany(rest: N8nRest, workflowId: string, count: number, trigger = 'Start'): Promise<string[]> {
	return Promise.all(Array.from({ length: count }, () => rest.runWorkflow(workflowId, trigger)));
}

/** Refresh-token grants the sandbox received since its log was last cleared. */
export function refreshGrants(sandbox: Sandbox): number {
	return sandbox.tokenRequests().filter((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token').length;
}

/** The machine the figures were taken on, and how busy it was. */
export function machine(): Record<string, unknown> {
	return {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
		node: process.version,
	};
}

const FIGURES_FILE = path.join(WORK_DIR, 'queue-figures.json');

/** Adds measured figures to test/e2e/.work/queue-figures.json and prints them. */
export function recordFigures(section: string, figures: Record<string, unknown>): void {
	fs.mkdirSync(WORK_DIR, { recursive: true });
	let all: Record<string, unknown> = {};
	try {
		all = JSON.parse(fs.readFileSync(FIGURES_FILE, 'utf8'));
	} catch {
		// First figures of this run.
	}
	all[section] = { ...figures, machine: machine(), at: new Date().toISOString() };
	fs.writeFileSync(FIGURES_FILE, JSON.stringify(all, null, 2));
	log(`${section}: ${JSON.stringify(figures)}`);
}
