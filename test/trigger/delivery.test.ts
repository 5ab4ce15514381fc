import { request } from 'node:http';

import type { Sandbox } from '../sandbox';
import type { TriggerHarness } from '../harness/webhook';
import { DELIVERY_MEMORY } from '../../nodes/ZohoSalesIq/trigger/dedup';
import { EVENT_TIME, postRaw, sandboxFor, triggerFor, triggerParameters } from './setup';


describe('Zoho SalesIQ Trigger: deliveries', () => {
	let sandbox: Sandbox;
	let trigger: TriggerHarness;

	beforeEach(async () => {
		sandbox = await sandboxFor();
	});
	afterEach(async () => {
		await trigger?.stop();
		await sandbox.stop();
	});

	describe('signature', () => {
		beforeEach(async () => {
			trigger = await triggerFor(sandbox);
			await trigger.activate();
		});

		it('runs the workflow for a correctly signed delivery', async () => {
			const [result] = await sandbox.deliverEvent({ event: 'conversation.created' });
			expect(result.status).toBe(200);
			expect(sandbox.deliveries()[0].headers['x-siqsignature']).toBeTruthy();
			expect(trigger.executions()).toHaveLength(1);
			expect(trigger.emitted()[0].json).toMatchObject({ event: 'conversation.created', webhook_id: result.webhookId });
		});

		it('answers 401 and starts nothing for a tampered delivery', async () => {
			const [result] = await sandbox.deliverEvent({ event: 'conversation.created', tamper: true });
			expect(result.status).toBe(401);
			expect(trigger.executions()).toHaveLength(0);
		});

		it('answers 401 and starts nothing for an unsigned delivery', async () => {
			const [result] = await sandbox.deliverEvent({ event: 'conversation.created', signed: false });
			expect(result.status).toBe(401);
			expect(sandbox.deliveries()[0].headers['x-siqsignature']).toBeUndefined();
			expect(trigger.executions()).toHaveLength(0);
		});

		it('refuses a signature copied onto another body, a garbage signature and one signed with another key', async () => {
			await sandbox.deliverEvent({ event: 'conversation.created' });
			const genuine = sandbox.deliveries()[0];
			const url = trigger.webhookUrl();
			const signature = genuine.headers['x-siqsignature'];

			const forged = genuine.body.replace('"conversation.created"', '"conversation.completed"');
			expect((await postRaw(url, forged, { 'x-siqsignature': signature })).status).toBe(401);
			expect((await postRaw(url, genuine.body, { 'x-siqsignature': 'not base64 !!' })).status).toBe(401);
			expect((await postRaw(url, genuine.body, { 'x-siqsignature': '' })).status).toBe(401);
			// Re-serialized JSON of the same payload is different bytes: the signature covers the raw body only.
			const reserialized = JSON.stringify(JSON.parse(genuine.body), null, 1);
			expect((await postRaw(url, reserialized, { 'x-siqsignature': signature })).status).toBe(401);

			// A second subscription has its own key; its signature does not open this trigger.
			const other = await triggerFor(sandbox);
			try {
				await other.activate();
				await sandbox.deliverEvent({ event: 'conversation.completed', webhookId: String(other.staticData().webhookId) });
			} finally {
				await other.stop();
			}
			const foreign = sandbox.deliveries().at(-1)!;
			expect((await postRaw(url, foreign.body, { 'x-siqsignature': foreign.headers['x-siqsignature'] })).status).toBe(401);

			// Only the genuine delivery ran.
			expect(trigger.executions()).toHaveLength(1);
			expect(trigger.emitted().map((item) => item.json.event)).toEqual(['conversation.created']);
		});

		it('starts nothing for a replayed copy of a signed delivery', async () => {
			await sandbox.deliverEvent({ event: 'conversation.created' });
			const genuine = sandbox.deliveries()[0];
			const replay = await postRaw(trigger.webhookUrl(), genuine.body, { 'x-siqsignature': genuine.headers['x-siqsignature'] });
			expect(replay.status).toBe(200);
			expect(JSON.parse(replay.body).message).toMatch(/duplicate/i);
			expect(trigger.executions()).toHaveLength(1);
			const sent = JSON.parse(genuine.body) as { event: string; entity_id: string };
			expect(trigger.emitted()).toHaveLength(1);
			expect(trigger.emitted()[0].json).toMatchObject({ event: sent.event, entity_id: sent.entity_id, attempt: 1 });
		});

		it('refuses a body over 1 MB before verifying or parsing it, with or without a Content-Length', async () => {
			const big = JSON.stringify({ event: 'conversation.created', pad: 'x'.repeat(1024 * 1024) });
			const answer = await postRaw(trigger.webhookUrl(), big, { 'x-siqsignature': 'AAAA' });
			expect(answer).toEqual({ status: 413, body: JSON.stringify({ message: 'Payload too large' }) });

			const chunked = await new Promise<number>((resolve, reject) => {
				const req = request(trigger.webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-siqsignature': 'AAAA' } }, (res) => {
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
				});
				req.on('error', reject);
				req.write('{"event":"conversation.created","pad":"');
				for (let i = 0; i < 9; i++) req.write('x'.repeat(128 * 1024));
				req.end('"}');
			});
			expect(chunked).toBe(413);
			expect(trigger.calls.at(-1)?.headers['transfer-encoding']).toBe('chunked');
			expect(trigger.executions()).toHaveLength(0);
		});

		it('accepts a signed delivery just under the limit', async () => {
			const chat = sandbox.dataset.chats[0];
			const entity = { id: 'big-1', question: 'q'.repeat(900 * 1024), app_id: sandbox.dataset.apps[0].id, chat_id: chat.chat_id };
			const [result] = await sandbox.deliverEvent({ event: 'conversation.created', entity });
			expect(result.status).toBe(200);
			expect(trigger.executions()).toHaveLength(1);
			const emitted = trigger.emitted()[0].json.entity as { id: string; question: string };
			expect(emitted.id).toBe('big-1');
			expect(emitted.question).toHaveLength(900 * 1024);
		});
	});

	describe('redelivery', () => {
		beforeEach(async () => {
			trigger = await triggerFor(sandbox);
			await trigger.activate();
		});

		it('acknowledges attempt 2 of an event it already ran with 200, without a second execution', async () => {
			const chatId = sandbox.dataset.chats[0].chat_id;
			const [first] = await sandbox.deliverEvent({ event: 'conversation.completed', chatId });
			const [second] = await sandbox.deliverEvent({ event: 'conversation.completed', chatId, attempt: 2 });
			expect(first.status).toBe(200);
			expect(second.status).toBe(200);
			expect(sandbox.deliveries().map((d) => JSON.parse(d.body).attempt)).toEqual([1, 2]);
			expect(trigger.executions()).toHaveLength(1);
			expect(trigger.emitted()[0].json.attempt).toBe(1);
		});

		it('marks the static data as changed (so n8n saves it) only when it remembers a new delivery', async () => {
			const staticData = trigger.workflow.staticData;
			staticData.__dataChanged = false;
			await sandbox.deliverEvent({ event: 'conversation.created' });
			expect(staticData.__dataChanged).toBe(true);

			staticData.__dataChanged = false;
			await sandbox.deliverEvent({ event: 'conversation.created', attempt: 2 });
			await sandbox.deliverEvent({ event: 'conversation.created', tamper: true });
			expect(staticData.__dataChanged).toBe(false);
			expect(trigger.executions()).toHaveLength(1);
			expect(trigger.emitted().map((item) => [item.json.event, item.json.attempt])).toEqual([['conversation.created', 1]]);
		});

		it('runs attempt 2 when attempt 1 never got through', async () => {
			const chatId = sandbox.dataset.chats[0].chat_id;
			const [first] = await sandbox.deliverEvent({ event: 'conversation.completed', chatId, tamper: true });
			const [second] = await sandbox.deliverEvent({ event: 'conversation.completed', chatId, attempt: 2 });
			expect([first.status, second.status]).toEqual([401, 200]);
			expect(trigger.emitted().map((item) => item.json.attempt)).toEqual([2]);
		});

		it('runs the same event again when it happens at another time, and other events of the same chat', async () => {
			const chatId = sandbox.dataset.chats[0].chat_id;
			await sandbox.deliverEvent({ event: 'conversation.completed', chatId });
			await sandbox.deliverEvent({ event: 'conversation.created', chatId });
			sandbox.advanceTime(1);
			await sandbox.deliverEvent({ event: 'conversation.completed', chatId });
			expect(trigger.emitted().map((item) => [item.json.event, item.json.event_time])).toEqual([
				['conversation.completed', EVENT_TIME],
				['conversation.created', EVENT_TIME],
				['conversation.completed', EVENT_TIME + 1],
			]);
		});

		it(`keeps a bounded memory of the last ${DELIVERY_MEMORY} deliveries`, async () => {
			const app_id = sandbox.dataset.apps[0].id;
			const deliver = (id: number, attempt = 1) =>
				sandbox.deliverEvent({ event: 'conversation.created', entity: { id: `chat-${id}`, app_id }, attempt });
			for (let id = 0; id <= DELIVERY_MEMORY; id++) await deliver(id);
			expect(trigger.executions()).toHaveLength(DELIVERY_MEMORY + 1);
			expect(trigger.staticData().recentDeliveries).toHaveLength(DELIVERY_MEMORY);

			// The newest deliveries are still recognized ...
			await deliver(DELIVERY_MEMORY, 2);
			await deliver(1, 2);
			expect(trigger.executions()).toHaveLength(DELIVERY_MEMORY + 1);
			// ... while the oldest one has been forgotten, so its redelivery runs again.
			await deliver(0, 2);
			expect(trigger.executions()).toHaveLength(DELIVERY_MEMORY + 2);
			const ran = trigger.emitted().map((item) => [(item.json.entity as { id: string }).id, item.json.attempt]);
			expect(ran.at(-1)).toEqual(['chat-0', 2]);
			expect(ran.filter(([, attempt]) => attempt === 2)).toHaveLength(1);
			expect(trigger.staticData().recentDeliveries).toHaveLength(DELIVERY_MEMORY);
		}, 120_000);
	});

	describe('filters', () => {
		it('acknowledges an event that is not selected without running', async () => {
			trigger = await triggerFor(sandbox, triggerParameters({ events: ['conversation.created'], options: { verifySignature: false } }));
			await trigger.activate();
			const url = trigger.webhookUrl();
			const answer = await postRaw(url, JSON.stringify({ event: 'conversation.rated', entity_id: '1', event_time: '1', entity: {} }));
			expect(answer.status).toBe(200);
			expect(trigger.executions()).toHaveLength(0);
		});

		it('answers 400 to a body that is not a SalesIQ delivery', async () => {
			trigger = await triggerFor(sandbox, triggerParameters({ options: { verifySignature: false } }));
			await trigger.activate();
			const url = trigger.webhookUrl();
			expect((await postRaw(url, JSON.stringify({ hello: 'world' }))).status).toBe(400);
			expect((await postRaw(url, '[1,2]')).status).toBe(400);
			expect(trigger.executions()).toHaveLength(0);
		});

		it('runs unsigned deliveries when Verify Signature is off', async () => {
			trigger = await triggerFor(sandbox, triggerParameters({ options: { verifySignature: false } }));
			await trigger.activate();
			expect(sandbox.webhooks()[0].secured).toBe(false);
			const [result] = await sandbox.deliverEvent({ event: 'conversation.created' });
			expect(result.status).toBe(200);
			expect(trigger.executions()).toHaveLength(1);
			expect(sandbox.deliveries()[0].headers['x-siqsignature']).toBeUndefined();
			const sent = JSON.parse(sandbox.deliveries()[0].body) as { event: string; entity_id: string };
			expect(trigger.emitted()[0].json).toMatchObject({ event: 'conversation.created', entity_id: sent.entity_id, webhook_id: result.webhookId });
		});
	});
});
