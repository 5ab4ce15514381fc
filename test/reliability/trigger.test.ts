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
import { allowHost, finalChecks, installChecks, observe, registerCredential, registerTokenUpdates, scanForSecrets, textOf } from './support';
import { postRaw } from '../trigger/setup';

installChecks();

/** A fixed clock, so that two copies of one delivery carry the same event_time. */
const EVENT_TIME = Date.UTC(2026, 2, 14, 9, 30, 0);
const PARAMETERS = { events: ['conversation.created', 'conversation.completed'], appIds: [], options: {} } as unknown as INodeParameters;


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

	it(caseTitle('TRG-06'), async () => {
		const big = JSON.stringify({ event: 'conversation.created', pad: 'x'.repeat(1024 * 1024 + 1) });
		const answer = await postRaw(trigger.webhookUrl(), big, { 'x-siqsignature': 'AAAA' });
		observe('TRG-06', `HTTP ${answer.status} ${answer.body}; ${trigger.executions().length} execution(s)`);

		expect(answer.status).toBe(413);
		expect(trigger.executions()).toHaveLength(0);
	});
});

finalChecks({ logs: false });
