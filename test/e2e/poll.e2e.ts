/**
 * The Poll Trigger in a real `n8n start`, on the shortest schedule n8n accepts: every minute (n8n
 * refuses a cron with a seconds field that fires more than once a minute). Activation polls at once
 * and keeps its place; a chat added in the sandbox starts exactly one execution, at the next poll;
 * a second chat and a restart of n8n (whose activation polls again from the saved place) start
 * exactly one more. Each "nothing more" is checked after a further poll has reached the sandbox.
 */

import { startSandbox, type Sandbox, type V1Chat } from '../sandbox';
import { PACKAGE_NAME, sandboxCredential, triggerWorkflow } from './lib/fixtures';
import { createN8n, freePort, sleep, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { e2eMajor, packedPackage } from './lib/suite';

const TRIGGER = 'Zoho SalesIQ Poll Trigger';
/** One minute between polls, plus room for n8n's random second and a loaded machine. */
const POLL_WAIT_MS = 150_000;

let sandbox: Sandbox;
let n8n: N8n;
let workflowId: string;

/** Requests of the chat list so far: one per poll while nothing is new. */
const chatListCalls = () => sandbox.requests().filter((r) => r.path === `/api/v1/${sandbox.screenName}/chats`).length;

/** Waits until the sandbox has seen `count` more chat-list requests than `from`. */
async function waitForPolls(from: number, count = 1): Promise<void> {
	const deadline = Date.now() + POLL_WAIT_MS;
	while (chatListCalls() < from + count) {
		if (Date.now() > deadline) throw new Error(`no poll reached the sandbox within ${POLL_WAIT_MS} ms`);
		await sleep(500);
	}
}

/** The trigger's items of one execution. */
async function itemsOf(executionId: string): Promise<Array<Record<string, unknown>>> {
	const execution = await n8n.rest.getExecution(executionId);
	expect(execution.status).toBe('success');
	return execution.data.resultData.runData[TRIGGER][0].data.main[0].map((item: { json: Record<string, unknown> }) => item.json);
}

async function executionIds(): Promise<string[]> {
	return (await n8n.rest.listExecutions(workflowId)).map((execution) => execution.id);
}

function asItem(chat: V1Chat): Record<string, unknown> {
	return { ...JSON.parse(JSON.stringify(chat)), event: 'chatStarted' };
}

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 20, visitors: 10 });
	const port = await freePort();
	n8n = await createN8n({ name: 'poll', major: e2eMajor(), port });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	await n8n.start();
	await n8n.rest.setupOwner();
	const workflow = await n8n.rest.createWorkflow(
		triggerWorkflow('E2E poll trigger', { name: TRIGGER, type: `${PACKAGE_NAME}.zohoSalesIqPollTrigger`, parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['chatStarted'], filters: {}, options: {} } }),
	);
	workflowId = workflow.id;
}, 180_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

describe('Poll Trigger in n8n, polling every minute', () => {
	it('refuses a schedule of more than one poll a minute', async () => {
		const other = await n8n.rest.createWorkflow(
			triggerWorkflow('E2E poll trigger every 10 s', { name: TRIGGER, type: `${PACKAGE_NAME}.zohoSalesIqPollTrigger`, parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '*/10 * * * * *' }] }, events: ['chatStarted'] } }),
		);
		await expect(n8n.rest.activateWorkflow(other.id)).rejects.toThrow(/at least a minute/);
	});

	it('activation polls once, starts nothing, and keeps its place: the chats already there never fire', async () => {
		sandbox.clearRequests();
		await n8n.rest.activateWorkflow(workflowId);
		await waitForPolls(0);
		expect(sandbox.requests().filter((r) => r.path.endsWith('/chats')).map((r) => r.query)).toEqual([{ limit: '100' }]);
		expect(await executionIds()).toEqual([]);
	});

	it('a new chat starts exactly one execution, with the chat as Chat Get Many returns it plus event', async () => {
		const [chat] = sandbox.live.openChats(1);
		const execution = await n8n.rest.waitForExecution(workflowId, { timeoutMs: POLL_WAIT_MS });
		expect(await itemsOf(execution.id)).toEqual([asItem(chat)]);
		// The next poll finds nothing new: still one execution.
		await waitForPolls(chatListCalls());
		await sleep(2000);
		expect(await executionIds()).toEqual([execution.id]);
	});

	it('a second chat and a restart of n8n: exactly one more execution, for the second chat only', async () => {
		const before = await executionIds();
		const [chat] = sandbox.live.openChats(1);
		await n8n.stop();
		const calls = chatListCalls();
		await n8n.start();
		await n8n.rest.login();
		// Activation at startup polls from the saved place.
		await waitForPolls(calls);
		const execution = await n8n.rest.waitForExecution(workflowId, { after: before, timeoutMs: POLL_WAIT_MS });
		expect(await itemsOf(execution.id)).toEqual([asItem(chat)]);
		await waitForPolls(chatListCalls());
		await sleep(2000);
		expect((await executionIds()).sort()).toEqual([...before, execution.id].sort());
	});
});
