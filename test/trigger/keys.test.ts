import { generateKeyPairSync, sign } from 'node:crypto';

import type { Sandbox, SandboxOptions } from '../sandbox';
import type { TriggerHarness } from '../harness/webhook';
import { countRequests, EVENT_TIME, postRaw, sandboxFor, triggerFor, triggerParameters } from './setup';

/** The webhook's public keys: read from `public_keys`, never added when one exists, any held key verifies. */
describe('Zoho SalesIQ Trigger: webhook public keys', () => {
	let sandbox: Sandbox;
	let trigger: TriggerHarness | undefined;

	const start = async (options: SandboxOptions = {}) => (sandbox = await sandboxFor(options));
	afterEach(async () => {
		await trigger?.stop();
		trigger = undefined;
		await sandbox.stop();
	});

	const keysPath = (id: string) => `/api/v2/${sandbox.screenName}/webhooks/${id}/keys`;
	const callApi = (path: string, method: string) =>
		fetch(`${sandbox.url}${path}`, { method, headers: { authorization: `Bearer ${sandbox.accessToken}` } });

	it.each(['pem', 'base64', 'pkcs1'])('key-format=%s: activates with one key request and verifies a signed delivery', async (format) => {
		await start({ variants: { 'key-format': format } });
		trigger = await triggerFor(sandbox);
		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		const [hook] = sandbox.webhooks();
		expect(countRequests(sandbox, 'POST', `/webhooks/${hook.id}/keys`)).toBe(1);
		expect(trigger.staticData().publicKeys).toEqual([hook.public_keys[0].key]);
		const [result] = await sandbox.deliverEvent({ event: 'conversation.created' });
		expect(result.status).toBe(200);
		expect(trigger.executions().map((c) => c.status)).toEqual([200]);
	});

	it('keeps both keys of a webhook that holds two, accepts either, and adds none', async () => {
		await start();
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const [hook] = sandbox.webhooks();
		await callApi(keysPath(hook.id), 'POST');
		for (const key of Object.keys(trigger.staticData())) delete trigger.staticData()[key];
		sandbox.clearRequests();

		expect(await trigger.activate()).toEqual({ existed: true, created: false });
		expect(sandbox.requests('/keys')).toEqual([]);
		const keys = sandbox.webhooks()[0].public_keys;
		expect(keys).toHaveLength(2);
		expect(trigger.staticData().publicKeys).toEqual(keys.map((k) => k.key));

		// SalesIQ signs with the oldest key; once it is removed, the newer one signs.
		expect((await sandbox.deliverEvent({ event: 'conversation.created', eventTime: EVENT_TIME + 1 }))[0].status).toBe(200);
		await callApi(`${keysPath(hook.id)}/${keys[0].id}`, 'DELETE');
		expect((await sandbox.deliverEvent({ event: 'conversation.created', eventTime: EVENT_TIME + 2 }))[0].status).toBe(200);
		expect(trigger.executions().map((c) => c.status)).toEqual([200, 200]);
	});

	it('webhook-keys=omitted: reads the keys from the keys answer when creating', async () => {
		await start({ variants: { 'webhook-keys': 'omitted' } });
		trigger = await triggerFor(sandbox);
		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		const [hook] = sandbox.webhooks();
		// The create answer and the details list no keys, so the webhook is new and keyless: one key is added.
		expect(countRequests(sandbox, 'GET', `/webhooks/${hook.id}`)).toBe(1);
		expect(countRequests(sandbox, 'POST', `/webhooks/${hook.id}/keys`)).toBe(1);
		expect(hook.public_keys).toHaveLength(1);
		expect(trigger.staticData().publicKeys).toEqual([hook.public_keys[0].key]);
		expect((await sandbox.deliverEvent({ event: 'conversation.created' }))[0].status).toBe(200);

		// Activating again keeps the stored keys: nothing is added.
		sandbox.clearRequests();
		expect(await trigger.activate()).toEqual({ existed: true, created: false });
		expect(sandbox.requests('/keys')).toEqual([]);
	});

	it('webhook-keys=omitted: a found webhook whose keys are unknown is replaced, never given a second key', async () => {
		await start({ variants: { 'webhook-keys': 'omitted' } });
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const [old] = sandbox.webhooks();
		for (const key of Object.keys(trigger.staticData())) delete trigger.staticData()[key];
		sandbox.clearRequests();

		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		expect(countRequests(sandbox, 'POST', `/webhooks/${old.id}/keys`)).toBe(0);
		expect(countRequests(sandbox, 'DELETE', `/webhooks/${old.id}`)).toBe(1);
		const hooks = sandbox.webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0].public_keys).toHaveLength(1);
		expect((await sandbox.deliverEvent({ event: 'conversation.created' }))[0].status).toBe(200);
	});

	it('the Public Key option is checked at activation and used as well as the webhook’s keys', async () => {
		await start();
		const bad = await triggerFor(sandbox, triggerParameters({ options: { publicKey: 'not a key' } }));
		try {
			await expect(bad.activate()).rejects.toThrow('Public Key is not an RSA public key');
			expect(sandbox.requests()).toEqual([]);
		} finally {
			await bad.stop();
		}

		const own = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const pasted = own.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
		trigger = await triggerFor(sandbox, triggerParameters({ options: { publicKey: pasted } }));
		await trigger.activate();
		const body = JSON.stringify({
			entity_type: 'conversation',
			webhook: { id: sandbox.webhooks()[0].id },
			event: 'conversation.created',
			entity_id: '19000000033103',
			attempt: 1,
			version: 1,
			event_time: String(EVENT_TIME),
			entity: { id: '19000000033103', question: 'Signed with the pasted key' },
		});
		const signature = sign('sha256', Buffer.from(body), own.privateKey).toString('base64');
		expect((await postRaw(trigger.webhookUrl(), body, { 'x-siqsignature': signature })).status).toBe(200);
		expect((await sandbox.deliverEvent({ event: 'conversation.completed' }))[0].status).toBe(200);
		const forged = sign('sha256', Buffer.from(body), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey).toString('base64');
		expect((await postRaw(trigger.webhookUrl(), body, { 'x-siqsignature': forged })).status).toBe(401);
		expect(trigger.executions().filter((c) => c.status === 200)).toHaveLength(2);
		// The pasted key's delivery and the sandbox's own ran; the forged copy did not.
		expect(trigger.emitted().map((item) => [item.json.event, item.json.entity_id])).toEqual([
			['conversation.created', '19000000033103'],
			['conversation.completed', expect.any(String)],
		]);
	});
});
