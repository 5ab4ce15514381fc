/**
 * The webhook trigger on n8n's distributed engine. The main activates (one subscription; SalesIQ's
 * HEAD check reaches the webhook processor named by WEBHOOK_URL), a webhook processor receives, a
 * worker executes. A redelivery starts nothing at the same processor, also when two copies arrive at
 * the same moment; at a second processor, or one copy at each at the same moment, the event is passed
 * on once and every other execution ends at the trigger with no items. Restarting the main keeps the one
 * subscription; deactivating deletes it. Stopping the topology leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeliverOptions } from '../../sandbox';
import { TRIGGER_TYPE, triggerWorkflow } from '../lib/fixtures';
import { sleep } from '../lib/n8n';
import { alive, listening, processesOf, processesWhere } from '../lib/processes';
import { recordFigures, startQueueEnv, stopQueueEnv, waitForAll, type QueueEnv } from './support';

const TRIGGER = 'Zoho SalesIQ Trigger';
const EVENTS = ['conversation.created', 'conversation.completed'];

let env: QueueEnv;
let workflowId: string;
let hookUrl: string;
let chatId: string;
// Recent, distinct event times: the trigger ignores deliveries older than its Max Event Age (24 h).
let nextEventTime = Date.now() - 3_600_000;

beforeAll(async () => {
	env = await startQueueEnv({ chats: 20, visitors: 10 });
	chatId = env.sandbox.dataset.chats[0].chat_id;
	const workflow = await env.rest.createWorkflow(
		triggerWorkflow('Queue: trigger', { name: TRIGGER, type: TRIGGER_TYPE, parameters: { events: EVENTS, appIds: [], options: {} }, webhookId: randomUUID() }),
	);
	workflowId = workflow.id;
}, 600_000);

afterAll(async () => {
	await stopQueueEnv(env ?? {});
});

/** The subscription's URL with another webhook processor's origin: where a load balancer could send it. */
function at(processor: string): string {
	const url = new URL(hookUrl);
	return `${env.cluster.urlOf(processor)}${url.pathname}`;
}

async function executionIds(): Promise<string[]> {
	return (await env.rest.listExecutions(workflowId)).map((e) => String(e.id));
}

/**
 * Sends copies of one event (same event time, so the same event for the trigger) to the given
 * processors at once. Returns the HTTP answers, and the executions they started with how many items
 * the trigger passed on in each (after they finished).
 */
async function deliverCopies(processors: string[], options: Partial<DeliverOptions> = {}) {
	const before = await executionIds();
	const eventTime = options.eventTime ?? (nextEventTime += 60_000);
	const results = await Promise.all(
		processors.map((processor) =>
			env.sandbox.deliverEvent({ event: 'conversation.completed', chatId, eventTime, url: at(processor), ...options }),
		),
	);
	// Executions start right after the answer; give a queued one time to appear.
	await sleep(4000);
	const started = (await executionIds()).filter((id) => !before.includes(id));
	const finished = await waitForAll(env.rest, workflowId, started, 120_000);
	const carried: Record<string, number> = {};
	for (const id of started) {
		const execution = await env.rest.getExecution(id);
		carried[id] = execution.data.resultData.runData[TRIGGER]?.[0]?.data?.main?.[0]?.length ?? 0;
		expect(finished.get(id)?.status).toBe('success');
	}
	return { eventTime, answers: results.map(([r]) => ({ status: r.status, body: r.attempts[r.attempts.length - 1].body })), started, carried };
}

describe('activation from the main', () => {
	it('creates exactly one subscription, whose URL is the webhook processor’s; SalesIQ’s HEAD check reached it there', async () => {
		env.sandbox.clearRequests();
		await env.rest.activateWorkflow(workflowId);
		const creates = env.sandbox.requests().filter((r) => r.method === 'POST' && r.path === `/api/v2/${env.sandbox.screenName}/webhooks`);
		expect(creates).toHaveLength(1);
		const hooks = env.sandbox.webhooks();
		expect(hooks).toHaveLength(1);
		hookUrl = hooks[0].url;
		// The sandbox stores a subscription only after its HEAD request to the URL was answered 200.
		expect(hookUrl.startsWith(`${env.cluster.urlOf('webhook-1')}/webhook/`)).toBe(true);
		expect((await fetch(hookUrl, { method: 'HEAD' })).status).toBe(200);
		// The main serves no production webhooks in this topology.
		expect((await fetch(`${env.cluster.urlOf('main')}${new URL(hookUrl).pathname}`, { method: 'HEAD' })).status).toBe(404);
	});
});

describe('deliveries', () => {
	let first: Awaited<ReturnType<typeof deliverCopies>>;

	it('a signed delivery to the webhook processor starts one execution on a worker', async () => {
		first = await deliverCopies(['webhook-1']);
		expect(first.answers.map((a) => a.status)).toEqual([200]);
		expect(first.started).toHaveLength(1);
		const [id] = first.started;
		expect(first.carried[id]).toBe(1);
		expect(['worker-1', 'worker-2']).toContain(env.cluster.workerOf(id));
		const execution = await env.rest.getExecution(id);
		expect(execution.data.resultData.runData[TRIGGER][0].data.main[0][0].json).toEqual(
			expect.objectContaining({ event: 'conversation.completed', reference_id: chatId, event_time: first.eventTime }),
		);
		// What the webhook wrote to the static data on the webhook processor was not saved (n8n 2.41):
		// the stored static data is still what the activation wrote.
		const [staticData] = await env.services.sql(`select "staticData" from workflow_entity where id = '${workflowId}'`);
		const stored = JSON.parse(staticData)[`node:${TRIGGER}`];
		expect(stored).toEqual(expect.objectContaining({ webhookId: expect.any(String), webhookUrl: hookUrl }));
		expect(stored).not.toHaveProperty('recentDeliveries');
		// n8n's deduplication store, shared by every process, holds the delivery's key and the claim of its execution.
		const [entries] = await env.services.sql(`select value from processed_data where "workflowId" = '${workflowId}'`);
		expect(JSON.parse(entries).data).toHaveLength(2);
	});

	it('its redelivery starts nothing', async () => {
		const again = await deliverCopies(['webhook-1'], { eventTime: first.eventTime, attempt: 2 });
		expect(again.answers).toEqual([{ status: 200, body: expect.stringContaining('Duplicate delivery') }]);
		expect(again.started).toEqual([]);
	});

	it('two copies arriving at the same moment at one processor start one execution', async () => {
		const copies = await deliverCopies(['webhook-1', 'webhook-1']);
		expect(copies.answers.map((a) => a.status)).toEqual([200, 200]);
		expect(copies.started).toHaveLength(1);
		expect(Object.values(copies.carried)).toEqual([1]);
	});

	describe('with a second webhook processor', () => {
		beforeAll(async () => {
			await env.cluster.addWebhookProcessor();
			await env.cluster.startProcess('webhook-2');
		}, 300_000);

		it('a redelivery to the other processor passes nothing on: its execution ends at the trigger', async () => {
			const again = await deliverCopies(['webhook-2'], { eventTime: first.eventTime, attempt: 3 });
			expect(again.answers.map((a) => a.status)).toEqual([200]);
			expect(again.started.length).toBeLessThanOrEqual(1);
			expect(Object.values(again.carried).reduce((a, b) => a + b, 0)).toBe(0);
			recordFigures('redeliveryOtherProcessor', { executions: again.started.length, passedOn: Object.values(again.carried) });
		});

		it('two copies at the same moment, one at each processor, pass the event on once', async () => {
			const rounds = [];
			for (let round = 0; round < 3; round++) {
				const copies = await deliverCopies(['webhook-1', 'webhook-2']);
				expect(copies.answers.map((a) => a.status)).toEqual([200, 200]);
				// Each copy may start an execution; exactly one of them passes the event on.
				expect(Object.values(copies.carried).reduce((a, b) => a + b, 0)).toBe(1);
				rounds.push({ executions: copies.started.length, passedOn: Object.values(copies.carried) });
			}
			recordFigures('twoProcessors', { rounds });
		});
	});
});

describe('the subscription across a restart of the main, and deactivation', () => {
	it('restarting the main creates no second subscription', async () => {
		const [hook] = env.sandbox.webhooks();
		env.sandbox.clearRequests();
		await env.cluster.main.stop();
		await env.cluster.startProcess('main');
		await env.rest.login();
		// Give the main time to re-activate its workflows.
		await sleep(15_000);
		const api = env.sandbox.requests().filter((r) => r.path.includes('/webhooks'));
		expect(api.filter((r) => r.method === 'POST')).toEqual([]);
		expect(env.sandbox.webhooks().map((h) => h.id)).toEqual([hook.id]);
		recordFigures('restartMain', { subscriptionRequests: api.map((r) => `${r.method} ${r.path}`) });

		// Deliveries still start executions.
		const after = await deliverCopies(['webhook-1']);
		expect(Object.values(after.carried)).toEqual([1]);
	});

	it('deactivating deletes the subscription', async () => {
		const [hook] = env.sandbox.webhooks();
		env.sandbox.clearRequests();
		await env.rest.deactivateWorkflow(workflowId);
		const deletes = env.sandbox.requests().filter((r) => r.method === 'DELETE');
		expect(deletes.map((r) => r.path)).toEqual([`/api/v2/${env.sandbox.screenName}/webhooks/${hook.id}`]);
		expect(env.sandbox.webhooks()).toEqual([]);
	});
});

describe('stopping the topology', () => {
	it('leaves no process, port or temporary database behind', async () => {
		const n8nRoot = path.dirname(env.cluster.main.userFolder);
		const servicesFolder = env.services.root;
		const services = processesWhere(({ cmdline }) => cmdline.includes(servicesFolder));
		const n8nProcesses = processesOf(n8nRoot);
		const ports = [...env.cluster.processes.map((p) => p.n8n.port), env.services.postgres.port, env.services.redis.port];
		// postgres (and its backends) and redis; five n8n processes (two webhook processors now), each with a task runner.
		expect(services.length).toBeGreaterThanOrEqual(2);
		expect(n8nProcesses.length).toBeGreaterThanOrEqual(5);

		await stopQueueEnv(env);
		expect([...services, ...n8nProcesses].filter(alive)).toEqual([]);
		expect(processesOf(n8nRoot)).toEqual([]);
		expect(fs.existsSync(servicesFolder)).toBe(false);
		if (!process.env.E2E_KEEP) expect(fs.existsSync(n8nRoot)).toBe(false);
		for (const port of ports) expect(await listening(port)).toBe(false);
	});
});
