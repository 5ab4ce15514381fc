/**
 * The Poll Trigger on n8n's distributed engine: only the main polls (once per interval, not once per
 * process), the executions run on the workers, and the trigger keeps its position across a restart
 * of the main: chats reported before the restart are not reported again, new ones are reported once.
 */
import type { LoggedRequest } from '../../sandbox';
import { PACKAGE_NAME, triggerWorkflow } from '../lib/fixtures';
import { sleep } from '../lib/n8n';
import { recordFigures, startQueueEnv, stopQueueEnv, waitForAll, type QueueEnv } from './support';

const TRIGGER = 'New chats';

let env: QueueEnv;
let workflowId: string;
let activatedAt: number;

beforeAll(async () => {
	env = await startQueueEnv({ chats: 50, visitors: 10 });
	const workflow = await env.rest.createWorkflow(
		triggerWorkflow('Queue: poll', { name: TRIGGER, type: `${PACKAGE_NAME}.zohoSalesIqPollTrigger`, parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['chatStarted'], filters: {}, options: {} } }),
	);
	workflowId = workflow.id;
}, 600_000);

afterAll(async () => {
	await stopQueueEnv(env ?? {});
});

function chatListRequests(): LoggedRequest[] {
	return env.sandbox.requests().filter((r) => /^\/api\/v1\/[^/]+\/chats$/.test(r.path));
}

/** Polls, as bursts of chat-list requests at least 20 s apart. */
function polls(since: number): number[] {
	const times = chatListRequests()
		.map((r) => r.time)
		.filter((t) => t >= since)
		.sort((a, b) => a - b);
	return times.filter((t, i) => i === 0 || t - times[i - 1] > 20_000);
}

/** Waits for the next execution after `known` and returns the chat ids the trigger emitted in it. */
async function nextExecution(known: string[], timeoutMs = 150_000): Promise<{ id: string; chatIds: string[] }> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await env.rest.listExecutions(workflowId)).map((e) => String(e.id)).filter((id) => !known.includes(id));
		if (fresh.length > 0) {
			const [id] = fresh;
			await waitForAll(env.rest, workflowId, [id], 60_000);
			const execution = await env.rest.getExecution(id);
			const items = execution.data.resultData.runData[TRIGGER][0].data.main[0] as Array<{ json: { chat_id: string } }>;
			return { id, chatIds: items.map((item) => item.json.chat_id) };
		}
		if (Date.now() > deadline) throw new Error(`no execution of the poll trigger within ${timeoutMs} ms`);
		await sleep(1000);
	}
}

describe('the Poll Trigger in queue mode', () => {
	const seen: string[] = [];

	it('polls once per interval, on the main only; the execution runs on a worker', async () => {
		await env.rest.activateWorkflow(workflowId);
		activatedAt = env.sandbox.now();
		const opened = env.sandbox.live.openChats(2).map((c) => c.chat_id);
		const first = await nextExecution([]);
		seen.push(first.id);
		expect(first.chatIds.sort()).toEqual(opened.sort());
		expect(['worker-1', 'worker-2']).toContain(env.cluster.workerOf(first.id));

		// Another full minute: one more poll, not one per process.
		await sleep(65_000);
		const minutes = (env.sandbox.now() - activatedAt) / 60_000;
		const count = polls(activatedAt).length;
		recordFigures('poll', { minutesActive: Number(minutes.toFixed(1)), polls: count, processes: env.cluster.processes.length });
		expect(count).toBeLessThanOrEqual(Math.ceil(minutes) + 1);
		expect((await env.rest.listExecutions(workflowId)).map((e) => String(e.id))).toEqual(seen);
	});

	it('keeps its position across a restart of the main', async () => {
		await env.cluster.main.stop();
		await env.cluster.startProcess('main');
		await env.rest.login();
		const opened = env.sandbox.live.openChats(1).map((c) => c.chat_id);
		const next = await nextExecution(seen);
		seen.push(next.id);
		expect(next.chatIds).toEqual(opened);
	});
});
