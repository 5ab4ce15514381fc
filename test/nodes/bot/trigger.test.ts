/**
 * The Bot Trigger in-process behind real HTTP (test/harness/webhook.ts), with the sandbox playing
 * SalesIQ: signed and unsigned requests, tampered bodies, handler selection, and both response modes.
 */
import type { INodeParameters } from 'n8n-workflow';

import { credentialFor, PACKAGE } from '../../harness';
import { startTrigger, type TriggerHarness } from '../../harness/webhook';
import type { Sandbox } from '../../sandbox';
import { smallSandbox } from '../helpers';

let sb: Sandbox;
let trigger: TriggerHarness;
let publicKey: string;

async function botTrigger(parameters: Record<string, unknown>): Promise<TriggerHarness> {
	const harness = await startTrigger({
		nodeType: `${PACKAGE}.zohoSalesIqBotTrigger`,
		parameters: { handlers: ['trigger', 'message'], responseMode: 'lastNode', publicKey, ...parameters } as INodeParameters,
		credential: credentialFor(sb),
	});
	await harness.activate();
	return harness;
}

beforeAll(async () => {
	sb = await smallSandbox({ chats: 10, visitors: 10 });
	publicKey = (await sb.bots.publicKey()).public_key;
});
afterAll(async () => {
	await sb.stop();
});
afterEach(async () => {
	await trigger?.stop();
});

describe('signed requests', () => {
	beforeEach(async () => {
		trigger = await botTrigger({});
	});

	it('answers SalesIQ\'s HEAD check, and any unsigned POST that is not a bot request, with 200, starting nothing', async () => {
		expect((await fetch(trigger.webhookUrl('setup'), { method: 'HEAD' })).status).toBe(200);
		for (const body of [undefined, '{}', '{"event":"ping"}']) {
			const ping = await fetch(trigger.webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
			expect([ping.status, await ping.json()]).toEqual([200, {}]);
		}
		expect(trigger.executions()).toHaveLength(0);
	});

	it('starts the workflow with a simple item for a signed message', async () => {
		const exchange = await sb.bots.play({ url: trigger.webhookUrl(), text: 'How much is it?' });
		expect(exchange.status).toBe(200);
		const [item] = trigger.emitted();
		const sent = JSON.parse(exchange.body);
		expect(item.json).toEqual({
			handler: 'message',
			operation: 'chat',
			text: 'How much is it?',
			visitor: {
				id: sent.visitor.id,
				name: sent.visitor.name,
				email: sent.visitor.email,
				phone: sent.visitor.phone,
				conversationId: exchange.conversationId,
				channel: 'website',
				language: 'en',
				page: { url: sent.visitor.current_page_url, title: 'Pricing' },
			},
			attachments: [],
			answers: {},
			contextId: '',
			requestId: exchange.requestId,
			conversationId: exchange.conversationId,
			body: sent,
		});
	});

	it('keeps a long conversation id exact and reads the trigger handler', async () => {
		const conversationId = '466756000000002043123';
		await sb.bots.play({ url: trigger.webhookUrl(), handler: 'trigger', conversationId });
		const [item] = trigger.emitted();
		expect(item.json).toEqual(expect.objectContaining({ handler: 'trigger', text: '', operation: '', conversationId }));
	});

	it('refuses an unsigned request and a tampered body with 401, starting nothing', async () => {
		const unsigned = await sb.bots.play({ url: trigger.webhookUrl(), signed: false });
		const tampered = await sb.bots.play({ url: trigger.webhookUrl(), tamper: true });
		expect([unsigned.status, JSON.parse(unsigned.responseText)]).toEqual([401, { message: 'Missing signature' }]);
		expect([tampered.status, JSON.parse(tampered.responseText)]).toEqual([401, { message: 'Invalid signature' }]);
		expect(trigger.executions()).toHaveLength(0);
	});

	it('answers a handler it does not run with an empty reply that SalesIQ accepts', async () => {
		const exchange = await sb.bots.play({ url: trigger.webhookUrl(), handler: 'context', answers: { a: { text: 'b' } } });
		expect(exchange).toEqual(expect.objectContaining({ status: 200, accepted: true, action: 'reply', response: { action: 'reply', replies: [] } }));
		expect(trigger.executions()).toHaveLength(0);
	});
});

describe('key forms and no key', () => {
	it('accepts the key as bare Base64', async () => {
		trigger = await botTrigger({ publicKey: (await sb.bots.publicKey()).public_key_base64 });
		await sb.bots.play({ url: trigger.webhookUrl() });
		expect(trigger.executions()).toHaveLength(1);
	});

	it('without a key, runs unsigned requests', async () => {
		trigger = await botTrigger({ publicKey: '' });
		await sb.bots.play({ url: trigger.webhookUrl(), signed: false, text: 'hi' });
		expect(trigger.emitted()[0].json.text).toBe('hi');
		expect(trigger.executions()).toHaveLength(1);
	});
});

describe('pending mode', () => {
	it('answers pending with the waiting text at once and starts the workflow', async () => {
		trigger = await botTrigger({ responseMode: 'pending', waitingText: 'Looking that up…' });
		const exchange = await sb.bots.play({ url: trigger.webhookUrl(), text: 'Where is my order?' });
		expect(exchange).toEqual(
			expect.objectContaining({ accepted: true, action: 'pending', response: { action: 'pending', replies: ['Looking that up…'] } }),
		);
		expect(trigger.emitted()[0].json).toEqual(expect.objectContaining({ text: 'Where is my order?', requestId: exchange.requestId }));
	});

	it('sends no waiting text when it is empty', async () => {
		trigger = await botTrigger({ responseMode: 'pending', waitingText: ' ' });
		const exchange = await sb.bots.play({ url: trigger.webhookUrl() });
		expect(exchange.response).toEqual({ action: 'pending', replies: [] });
	});
});
