/**
 * The trigger's trust boundary (cases TRG-*): only a delivery signed with the subscription's key,
 * seen for the first time and at most 1 MB starts an execution. The trigger runs in-process behind
 * a real HTTP server (test/harness/webhook.ts); the sandbox creates the subscription and signs.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import { generateKeyPairSync, sign } from 'node:crypto';
import type { INodeParameters } from 'n8n-workflow';

import { credentialFor } from '../harness';
import { startTrigger, type TriggerHarness } from '../harness/webhook';
import { startSandbox, type Sandbox } from '../sandbox';
import { caseTitle } from './cases';
import { postRaw } from '../trigger/setup';
import { allowHost, finalChecks, installChecks, observe, registerCredential, registerTokenUpdates, scanForSecrets, textOf } from './support';

installChecks();

import { EVENT_TIME } from '../trigger/setup';

const PARAMETERS = {
	events: ['conversation.created', 'conversation.completed', 'conversation.visitor.replied'],
	appIds: [],
	options: {},
} as unknown as INodeParameters;


describe('signed deliveries', () => {
	let sb: Sandbox;
	let trigger: TriggerHarness;

	beforeEach(async () => {
		sb = await startSandbox({ port: 0, seed: 'trigger', chats: 20, visitors: 5, clock: () => EVENT_TIME });
		const credential = credentialFor(sb);
		registerCredential(credential, 'the trigger credential');
		trigger = await startTrigger({ parameters: PARAMETERS, credential });
		allowHost(new URL(trigger.serverUrl).host);
		await trigger.activate();
	});
	afterEach(async () => {
		registerTokenUpdates(trigger.credentialsHelper.tokenUpdates, new URL(sb.url).host, 'the trigger credential');
		scanForSecrets(textOf(trigger.calls), 'the trigger’s webhook calls');
		await trigger.stop();
		await sb.stop();
	});

	it(caseTitle('TRG-01'), async () => {
		const [result] = await sb.deliverEvent({ event: 'conversation.created' });
		observe('TRG-01', `HTTP ${result.status}; ${trigger.executions().length} execution(s)`);

		expect(result.status).toBe(200);
		expect(trigger.executions()).toHaveLength(1);
	});

	it(caseTitle('TRG-02'), async () => {
		await sb.deliverEvent({ event: 'conversation.created' });
		const genuine = sb.deliveries()[0];
		const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const forgedBody = genuine.body.replace('"attempt":1', '"attempt":2');
		const forged = await postRaw(trigger.webhookUrl(), forgedBody, {
			'x-siqsignature': sign('sha256', Buffer.from(forgedBody), privateKey).toString('base64'),
		});
		observe('TRG-02', `HTTP ${forged.status} ${forged.body}; ${trigger.executions().length - 1} execution(s) from the forged copy`);

		expect(forged.status).toBe(401);
		expect(trigger.executions()).toHaveLength(1);
	});

	it(caseTitle('TRG-03'), async () => {
		const [result] = await sb.deliverEvent({ event: 'conversation.created', tamper: true });
		observe('TRG-03', `HTTP ${result.status}; ${trigger.executions().length} execution(s)`);

		expect(result.status).toBe(401);
		expect(trigger.executions()).toHaveLength(0);
	});

	it(caseTitle('TRG-04'), async () => {
		await sb.deliverEvent({ event: 'conversation.completed' });
		const genuine = sb.deliveries()[0];
		const replay = await postRaw(trigger.webhookUrl(), genuine.body, { 'x-siqsignature': genuine.headers['x-siqsignature'] });
		observe('TRG-04', `the copy got HTTP ${replay.status} ${replay.body}; ${trigger.executions().length} execution(s) in all`);

		expect(replay.status).toBe(200);
		expect(JSON.parse(replay.body).message).toMatch(/duplicate/i);
		expect(trigger.executions()).toHaveLength(1);
	});

	it(caseTitle('TRG-05'), async () => {
		const [result] = await sb.deliverEvent({ event: 'conversation.created', signed: false });
		observe('TRG-05', `HTTP ${result.status}; ${trigger.executions().length} execution(s)`);

		expect(result.status).toBe(401);
		expect(trigger.executions()).toHaveLength(0);
	});

	it(caseTitle('TRG-07'), async () => {
		const captured = Date.UTC(2020, 5, 1, 12, 0, 0);
		const [first] = await sb.deliverEvent({ event: 'conversation.completed', eventTime: captured });
		const original = sb.deliveries()[0];
		for (let i = 0; i < 500; i++) await sb.deliverEvent({ event: 'conversation.created', eventTime: EVENT_TIME - i });
		const replay = await postRaw(trigger.webhookUrl(), original.body, { 'x-siqsignature': original.headers['x-siqsignature'] });
		const started = trigger.emitted().map((item) => item.json.event_time);
		observe('TRG-07', `first delivery: HTTP ${first.status} ${first.attempts[0].body}; the replay after 500 newer ones: HTTP ${replay.status} ${replay.body}; ${started.filter((t) => t === captured).length} execution(s) of the 2020 event`);

		expect(first.status).toBe(200);
		expect(JSON.parse(first.attempts[0].body).message).toBe('Stale delivery: its event_time is more than 24 hours old; ignored');
		expect(replay.status).toBe(200);
		expect(JSON.parse(replay.body).message).toBe('Stale delivery: its event_time is more than 24 hours old; ignored');
		expect(started).toHaveLength(500);
		expect(started).not.toContain(captured);
	}, 120_000);

	it(caseTitle('TRG-08'), async () => {
		const chat = sb.dataset.chats[0].chat_id;
		const entity = (text: string) => ({ id: chat, message: { text, sender: { name: 'Tom', type: 'visitor' } } });
		await sb.deliverEvent({ event: 'conversation.visitor.replied', eventTime: null, entity: entity('Where is my order?') });
		await sb.deliverEvent({ event: 'conversation.visitor.replied', eventTime: null, entity: entity('It was due yesterday') });
		const again = await sb.deliverEvent({ event: 'conversation.visitor.replied', eventTime: null, entity: entity('It was due yesterday'), attempt: 2 });
		const texts = trigger.emitted().map((item) => item.json.message_text);
		observe('TRG-08', `${texts.length} executions: ${JSON.stringify(texts)}; the redelivery got ${again[0].attempts[0].body}`);

		expect(texts).toEqual(['Where is my order?', 'It was due yesterday']);
		expect(JSON.parse(again[0].attempts[0].body).message).toMatch(/duplicate/i);
	});

	it(caseTitle('TRG-09'), async () => {
		const chat = sb.dataset.chats[1].chat_id;
		const entity = (msgid: string) => ({ id: chat, message: { msgid, text: 'ok', sender: { name: 'Tom', type: 'visitor' } } });
		await sb.deliverEvent({ event: 'conversation.visitor.replied', entity: entity('m-1') });
		await sb.deliverEvent({ event: 'conversation.visitor.replied', entity: entity('m-2') });
		const again = await sb.deliverEvent({ event: 'conversation.visitor.replied', entity: entity('m-1'), attempt: 2 });
		const ids = trigger.emitted().map((item) => item.json.message_id);
		observe('TRG-09', `${ids.length} executions: ${JSON.stringify(ids)}; the redelivery of m-1 got ${again[0].attempts[0].body}`);

		expect(ids).toEqual(['m-1', 'm-2']);
		expect(JSON.parse(again[0].attempts[0].body).message).toMatch(/duplicate/i);
	});

	it(caseTitle('TRG-10'), async () => {
		await sb.deliverEvent({ event: 'conversation.created' });
		const genuine = sb.deliveries()[0];
		// The static data lost its keys (or the delivery came between the create call and the key call).
		delete trigger.staticData().publicKeys;
		delete trigger.staticData().publicKey;
		expect(Object.keys(trigger.staticData()).filter((k) => /key/i.test(k) && k !== 'keyId')).toEqual([]);
		const withSignature = await postRaw(trigger.webhookUrl(), genuine.body.replace('"attempt":1', '"attempt":2'), {
			'x-siqsignature': genuine.headers['x-siqsignature'],
		});
		const anySignature = await postRaw(trigger.webhookUrl(), genuine.body, { 'x-siqsignature': 'AAAA' });
		observe('TRG-10', `without a stored key: HTTP ${withSignature.status} ${withSignature.body} and HTTP ${anySignature.status}; ${trigger.executions().length - 1} execution(s) after the key was lost`);

		expect([withSignature.status, anySignature.status]).toEqual([401, 401]);
		expect(JSON.parse(withSignature.body).message).toBe('Invalid signature');
		expect(trigger.executions()).toHaveLength(1);
	});

	it(caseTitle('TRG-06'), async () => {
		const big = JSON.stringify({ event: 'conversation.created', pad: 'x'.repeat(1024 * 1024 + 1) });
		const answer = await postRaw(trigger.webhookUrl(), big, { 'x-siqsignature': 'AAAA' });
		observe('TRG-06', `HTTP ${answer.status} ${answer.body}; ${trigger.executions().length} execution(s)`);

		expect(answer.status).toBe(413);
		expect(trigger.executions()).toHaveLength(0);
	});
});

finalChecks({ logs: false });
