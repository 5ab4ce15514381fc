import { request } from 'node:http';

import type { Sandbox } from '../sandbox';
import type { TriggerHarness } from '../harness/webhook';
import { EVENT_TIME, sandboxFor, triggerFor, triggerParameters } from './setup';

const ALL_EVENTS = ['conversation.completed', 'conversation.operator.replied', 'conversation.rated'];
const ENVELOPE = ['event', 'event_time', 'event_time_iso', 'attempt', 'entity_type', 'entity_id', 'app_id', 'org_id', 'webhook_id', 'entity'];

function postRaw(url: string, body: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(body);
	});
}

describe('Zoho SalesIQ Trigger: output', () => {
	let sandbox: Sandbox;
	let trigger: TriggerHarness;

	beforeEach(async () => {
		sandbox = await sandboxFor();
	});
	afterEach(async () => {
		await trigger?.stop();
		await sandbox.stop();
	});

	function attendedChat() {
		const chat = sandbox.dataset.chats.find((c) => c.attender_name && c.end_time && c.visitor_email);
		if (!chat) throw new Error('the seeded dataset has no attended chat with an email');
		return chat;
	}

	it('puts the event and readable conversation fields first when Simplify is on (the default)', async () => {
		trigger = await triggerFor(sandbox, triggerParameters({ events: ALL_EVENTS }));
		await trigger.activate();
		const chat = attendedChat();
		await sandbox.deliverEvent({ event: 'conversation.completed', chatId: chat.chat_id });

		const [item] = trigger.emitted();
		const delivered = JSON.parse(sandbox.deliveries()[0].body);
		const keys = Object.keys(item.json);
		expect(keys[0]).toBe('event');
		expect(keys.slice(-ENVELOPE.length + 1)).toEqual(ENVELOPE.slice(1));
		expect(item.json).toMatchObject({
			event: 'conversation.completed',
			conversation_id: delivered.entity.id,
			reference_id: chat.chat_id,
			question: chat.question,
			status: 'Closed',
			visitor_name: chat.visitor_name,
			visitor_email: chat.visitor_email,
			operator_name: chat.attender_name,
			operator_email: chat.attender_email,
			department_id: chat.department_id,
			opened_at: new Date(Number(chat.chatinitiated_time)).toISOString(),
			ended_at: new Date(Number(chat.end_time)).toISOString(),
			event_time: EVENT_TIME,
			event_time_iso: new Date(EVENT_TIME).toISOString(),
			attempt: 1,
			entity_type: 'conversation',
			entity_id: delivered.entity_id,
			app_id: delivered.app_id,
			org_id: delivered.org_id,
			webhook_id: trigger.staticData().webhookId,
		});
		// The raw entity stays available, exactly as SalesIQ sent it.
		expect(item.json.entity).toEqual(delivered.entity);
	});

	it('gives the plain envelope with the raw entity when Simplify is off', async () => {
		trigger = await triggerFor(sandbox, triggerParameters({ events: ALL_EVENTS, options: { simplify: false } }));
		await trigger.activate();
		await sandbox.deliverEvent({ event: 'conversation.completed', chatId: attendedChat().chat_id });

		const [item] = trigger.emitted();
		const delivered = JSON.parse(sandbox.deliveries()[0].body);
		expect(Object.keys(item.json)).toEqual(ENVELOPE);
		expect(item.json).toEqual({
			event: 'conversation.completed',
			event_time: EVENT_TIME,
			event_time_iso: new Date(EVENT_TIME).toISOString(),
			attempt: 1,
			entity_type: 'conversation',
			entity_id: delivered.entity_id,
			app_id: delivered.app_id,
			org_id: delivered.org_id,
			webhook_id: delivered.webhook.id,
			entity: delivered.entity,
		});
	});

	it('flattens the message of a reply and the rating of a rated conversation', async () => {
		trigger = await triggerFor(sandbox, triggerParameters({ events: ALL_EVENTS }));
		await trigger.activate();
		const chat = attendedChat();
		await sandbox.deliverEvent({ event: 'conversation.operator.replied', chatId: chat.chat_id });
		await sandbox.deliverEvent({ event: 'conversation.rated', chatId: chat.chat_id });

		const [reply, rated] = trigger.emitted().map((item) => item.json);
		const replyEntity = JSON.parse(sandbox.deliveries()[0].body).entity;
		expect(reply).toMatchObject({
			event: 'conversation.operator.replied',
			message_id: replyEntity.message.msgid,
			message_text: replyEntity.message.text,
			message_sender_name: chat.attender_name,
			message_sender_type: 'operator',
		});
		const ratedEntity = JSON.parse(sandbox.deliveries()[1].body).entity;
		expect(rated).toMatchObject({ event: 'conversation.rated', rating: ratedEntity.rating, feedback: ratedEntity.feedback });
		expect(rated).not.toHaveProperty('message_text');
	});

	it('keeps every digit of ids SalesIQ sends as bare JSON numbers', async () => {
		// Zoho's documented sample is from 2019: the replay window (Max Event Age) is turned off for it.
		trigger = await triggerFor(sandbox, triggerParameters({ events: ALL_EVENTS, options: { verifySignature: false, maxEventAgeHours: 0 } }));
		await trigger.activate();
		const body =
			'{"entity_type":"conversation","webhook":{"id":19367000000120011},"org_id":55778119,"event":"conversation.rated",' +
			'"entity_id":"40526000001808033","attempt":1,"version":"1","app_id":466756000000002043,"event_time":"1556866331533",' +
			'"entity":{"id":"40526000001808033","rating":4,"feedback":"Good support","score":0.12345678901234567,"big":-90071992547409931}}';
		expect(await postRaw(trigger.webhookUrl(), body)).toBe(200);

		const [item] = trigger.emitted();
		expect(item.json).toMatchObject({
			app_id: '466756000000002043',
			org_id: '55778119',
			webhook_id: '19367000000120011',
			event_time: 1556866331533,
			event_time_iso: '2019-05-03T06:52:11.533Z',
			rating: 4,
		});
		expect(item.json.entity).toEqual({
			id: '40526000001808033',
			rating: 4,
			feedback: 'Good support',
			score: 0.12345678901234567,
			big: '-90071992547409931',
		});
	});
});
