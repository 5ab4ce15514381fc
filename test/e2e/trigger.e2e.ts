/**
 * The trigger in a real `n8n start`: activating the workflow subscribes at the sandbox (which first
 * checks the webhook URL with HEAD), a signed event delivered by the sandbox starts an execution with
 * the event's data, a forged one is refused, and deactivating deletes the subscription.
 * n8n's webhook URL is its loopback address, so the sandbox can reach it.
 */
import { randomUUID } from 'node:crypto';
import { startSandbox, type Sandbox } from '../sandbox';
import { sandboxCredential, TRIGGER_TYPE, triggerWorkflow } from './lib/fixtures';
import { createN8n, freePort, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { e2eMajor, packedPackage } from './lib/suite';

const EVENTS = ['conversation.created', 'conversation.completed'];
const TRIGGER = 'Zoho SalesIQ Trigger';

let sandbox: Sandbox;
let n8n: N8n;
let workflowId: string;
let webhookUrl: string;
const webhookId = randomUUID();

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 20, visitors: 10 });
	const port = await freePort();
	n8n = await createN8n({ name: 'trigger', major: e2eMajor(), port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	await n8n.start();
	await n8n.rest.setupOwner();
	const workflow = await n8n.rest.createWorkflow(
		triggerWorkflow('E2E trigger', { name: TRIGGER, type: TRIGGER_TYPE, parameters: { events: EVENTS, appIds: [], options: {} }, webhookId: webhookId }),
	);
	workflowId = workflow.id;
}, 180_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

describe('activation', () => {
	it('subscribes at the sandbox with the loopback webhook URL, after the URL passed the HEAD check', async () => {
		sandbox.clearRequests();
		await n8n.rest.activateWorkflow(workflowId);

		const creates = sandbox.requests().filter((r) => r.method === 'POST' && r.path === `/api/v2/${sandbox.screenName}/webhooks`);
		expect(creates).toHaveLength(1);
		const body = JSON.parse(creates[0].body);
		expect(body).toEqual({
			type: 'data',
			url: expect.stringMatching(new RegExp(`^${n8n.baseUrl}/webhook/${webhookId}/`)),
			events: EVENTS,
			version: '1',
			app_ids: sandbox.dataset.apps.map((app) => app.id),
			secured: true,
		});
		webhookUrl = body.url;

		// The sandbox stores a subscription only after its HEAD request to the URL was answered 200.
		const [hook] = sandbox.webhooks();
		expect(sandbox.webhooks()).toHaveLength(1);
		expect(hook).toEqual(expect.objectContaining({ url: webhookUrl, events: EVENTS, secured: true, status: 'active' }));
		const head = await fetch(webhookUrl, { method: 'HEAD' });
		expect(head.status).toBe(200);

		// A secured subscription: the trigger asked once for a key, read it from the documented
		// `public_keys` of the webhook that the keys call answers with, and added no second key.
		const keyCalls = sandbox.requests().filter((r) => r.method === 'POST' && r.path === `/api/v2/${sandbox.screenName}/webhooks/${hook.id}/keys`);
		expect(keyCalls).toHaveLength(1);
		expect(hook.public_keys).toEqual([expect.objectContaining({ key: expect.stringContaining('BEGIN PUBLIC KEY'), id: expect.any(String) })]);
	});
});

describe('delivery', () => {
	it('a signed event starts an execution with the conversation data', async () => {
		const chat = sandbox.dataset.chats.find((c) => c.visitor_email && c.attender_name)!;
		const before = (await n8n.rest.listExecutions(workflowId)).map((e) => e.id);

		const [result] = await sandbox.deliverEvent({ event: 'conversation.completed', chatId: chat.chat_id });
		expect(result.status).toBe(200);
		const [delivery] = sandbox.deliveries();
		expect(delivery.headers['x-siqsignature']).toEqual(expect.any(String));

		const execution = await n8n.rest.waitForExecution(workflowId, { after: before });
		expect(execution.status).toBe('success');
		const [item] = execution.data.resultData.runData[TRIGGER][0].data.main[0];
		const [hook] = sandbox.webhooks();
		expect(item.json).toEqual(
			expect.objectContaining({
				event: 'conversation.completed',
				webhook_id: hook.id,
				reference_id: chat.chat_id,
				question: chat.question,
				visitor_name: chat.visitor_name,
				visitor_email: chat.visitor_email,
				operator_name: chat.attender_name,
				app_id: chat.embed_id,
				entity: expect.objectContaining({ reference_id: chat.chat_id, status: 'Closed' }),
			}),
		);
	});

	it('a delivery whose body no longer matches its signature is refused and starts nothing', async () => {
		const before = (await n8n.rest.listExecutions(workflowId)).map((e) => e.id);
		const [result] = await sandbox.deliverEvent({ event: 'conversation.created', tamper: true });
		expect(result.status).toBe(401);
		// A valid delivery afterwards is the next execution: the forged one left none behind.
		const [ok] = await sandbox.deliverEvent({ event: 'conversation.created' });
		expect(ok.status).toBe(200);
		const next = await n8n.rest.waitForExecution(workflowId, { after: before });
		expect(next.data.resultData.runData[TRIGGER][0].data.main[0][0].json.event).toBe('conversation.created');
		expect((await n8n.rest.listExecutions(workflowId)).length).toBe(before.length + 1);
	});
});

describe('deactivation', () => {
	it('deletes the subscription at the sandbox', async () => {
		const [hook] = sandbox.webhooks();
		sandbox.clearRequests();
		await n8n.rest.deactivateWorkflow(workflowId);

		const deletes = sandbox.requests().filter((r) => r.method === 'DELETE');
		expect(deletes.map((r) => r.path)).toEqual([`/api/v2/${sandbox.screenName}/webhooks/${hook.id}`]);
		expect(sandbox.webhooks()).toEqual([]);
		// The URL is gone from n8n as well, so the 200 to HEAD earlier came from the trigger's own webhook.
		expect((await fetch(webhookUrl, { method: 'HEAD' })).status).toBe(404);
	});
});
