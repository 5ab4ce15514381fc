import type { Sandbox } from '../sandbox';
import type { TriggerHarness } from '../harness/webhook';
import { countRequests, sandboxFor, sentBodies, triggerFor, triggerParameters } from './setup';

describe('Zoho SalesIQ Trigger: subscription lifecycle against the sandbox', () => {
	let sandbox: Sandbox;
	let trigger: TriggerHarness;

	beforeEach(async () => {
		sandbox = await sandboxFor();
	});
	afterEach(async () => {
		await trigger?.stop();
		await sandbox.stop();
	});

	it('creates a secured subscription for every brand, answers the HEAD check, then finds and deletes it', async () => {
		trigger = await triggerFor(sandbox);
		const url = trigger.webhookUrl();

		expect(await trigger.checkExists()).toBe(false);
		expect(trigger.calls).toHaveLength(0);

		expect(await trigger.create()).toBe(true);
		expect(sentBodies(sandbox, 'POST', '/webhooks')).toEqual([
			{
				type: 'data',
				url,
				events: ['conversation.created', 'conversation.completed'],
				version: '1',
				app_ids: sandbox.dataset.apps.map((app) => app.id),
				secured: true,
			},
		]);
		// SalesIQ's URL check reached the node's HEAD webhook over HTTP and started nothing.
		expect(trigger.calls.map((c) => [c.method, c.path, c.webhookName, c.status])).toEqual([
			['HEAD', new URL(url).pathname, 'setup', 200],
		]);
		expect(trigger.executions()).toHaveLength(0);

		const [hook] = sandbox.webhooks();
		expect(hook).toMatchObject({ url, secured: true });
		expect(countRequests(sandbox, 'POST', `/webhooks/${hook.id}/keys`)).toBe(1);
		const stored = trigger.staticData();
		expect(stored.webhookId).toBe(hook.id);
		expect(stored.webhookUrl).toBe(url);
		expect(stored.publicKeys).toEqual([hook.public_keys[0].key]);
		expect(String(hook.public_keys[0].key)).toContain('BEGIN PUBLIC KEY');

		sandbox.clearRequests();
		expect(await trigger.checkExists()).toBe(true);
		expect(countRequests(sandbox, 'GET', `/webhooks/${hook.id}`)).toBe(1);
		expect(countRequests(sandbox, 'POST', '/webhooks')).toBe(0);
		// The key it already holds is kept: no second key request.
		expect(countRequests(sandbox, 'POST', `/webhooks/${hook.id}/keys`)).toBe(0);

		expect(await trigger.delete()).toBe(true);
		expect(countRequests(sandbox, 'DELETE', `/webhooks/${hook.id}`)).toBe(1);
		expect(sandbox.webhooks()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
	});

	it('activates like n8n: the HEAD route is live before create runs, and a second activation creates nothing', async () => {
		trigger = await triggerFor(sandbox);
		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		expect(trigger.calls.filter((c) => c.method === 'HEAD').map((c) => c.status)).toEqual([200]);

		sandbox.clearRequests();
		expect(await trigger.activate()).toEqual({ existed: true, created: false });
		expect(countRequests(sandbox, 'POST', '/webhooks')).toBe(0);
		expect(sandbox.webhooks()).toHaveLength(1);

		await trigger.deactivate();
		expect(sandbox.webhooks()).toHaveLength(0);
	});

	it('lists the HEAD webhook before the POST webhook, because n8n makes them live in that order', async () => {
		const { ZohoSalesIqTrigger } = await import('../../nodes/ZohoSalesIq/ZohoSalesIqTrigger.node');
		const webhooks = new ZohoSalesIqTrigger().description.webhooks ?? [];
		expect(webhooks.map((w) => [w.name, w.httpMethod, w.path])).toEqual([
			['setup', 'HEAD', 'webhook'],
			['default', 'POST', 'webhook'],
		]);
	});

	it('adopts an existing subscription with the same URL after the static data was lost, without a duplicate', async () => {
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const [hook] = sandbox.webhooks();
		for (const key of Object.keys(trigger.staticData())) delete trigger.staticData()[key];

		sandbox.clearRequests();
		expect(await trigger.activate()).toEqual({ existed: true, created: false });
		expect(countRequests(sandbox, 'GET', '/webhooks')).toBe(1);
		expect(countRequests(sandbox, 'POST', '/webhooks')).toBe(0);
		expect(sandbox.webhooks().map((w) => w.id)).toEqual([hook.id]);
		expect(trigger.staticData().webhookId).toBe(hook.id);
		// The adopted webhook's key is read from its details: no key is added to a webhook that has one.
		expect(trigger.staticData().publicKeys).toEqual([hook.public_keys[0].key]);
		expect(sandbox.requests('/keys')).toHaveLength(0);
		expect(sandbox.webhooks()[0].public_keys).toHaveLength(1);
		const [result] = await sandbox.deliverEvent({ event: 'conversation.created' });
		expect(result.status).toBe(200);
		expect(trigger.executions()).toHaveLength(1);
		expect(trigger.emitted()[0].json).toMatchObject({ event: 'conversation.created', webhook_id: hook.id });
	});

	it('replaces a subscription to the same URL whose events no longer match, leaving exactly one', async () => {
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const [old] = sandbox.webhooks();

		trigger.setParameters(triggerParameters({ events: ['conversation.rated'] }));
		sandbox.clearRequests();
		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		expect(countRequests(sandbox, 'DELETE', `/webhooks/${old.id}`)).toBe(1);
		const hooks = sandbox.webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0]).toMatchObject({ events: ['conversation.rated'], url: trigger.webhookUrl() });
		expect(trigger.staticData().webhookId).toBe(hooks[0].id);
	});

	it('leaves alone a stored subscription for another URL (a production webhook seen from a test run)', async () => {
		const production = await triggerFor(sandbox);
		try {
			await production.activate();
			const [prod] = sandbox.webhooks();

			trigger = await triggerFor(sandbox);
			Object.assign(trigger.staticData(), JSON.parse(JSON.stringify(production.staticData())));
			expect(await trigger.activate()).toEqual({ existed: false, created: true });
			expect(sandbox.webhooks().map((w) => w.url).sort()).toEqual([production.webhookUrl(), trigger.webhookUrl()].sort());
			expect(trigger.staticData().webhookId).not.toBe(prod.id);

			await trigger.deactivate();
			expect(sandbox.webhooks().map((w) => w.id)).toEqual([prod.id]);
		} finally {
			await production.stop();
		}
	});

	it('sends the chosen brands only, and an unsecured subscription fetches no key', async () => {
		const brand = sandbox.dataset.apps[0].id;
		trigger = await triggerFor(sandbox, triggerParameters({ appIds: [brand], options: { verifySignature: false } }));
		await trigger.activate();
		expect(sentBodies(sandbox, 'POST', '/webhooks')).toEqual([
			expect.objectContaining({ app_ids: [brand], secured: false }),
		]);
		expect(countRequests(sandbox, 'GET', '/apps')).toBe(0);
		expect(sandbox.requests('/keys')).toHaveLength(0);
		expect(trigger.staticData().publicKeys).toBeUndefined();
	});

	it('forgets a stored subscription that SalesIQ no longer has and creates a new one', async () => {
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const [old] = sandbox.webhooks();
		await fetch(`${sandbox.url}/api/v2/${sandbox.screenName}/webhooks/${old.id}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${sandbox.accessToken}` },
		});

		expect(await trigger.activate()).toEqual({ existed: false, created: true });
		const hooks = sandbox.webhooks();
		expect(hooks).toHaveLength(1);
		expect(hooks[0].id).not.toBe(old.id);
		expect(trigger.staticData().webhookId).toBe(hooks[0].id);
	});

	it('uses the Portal option for every subscription call', async () => {
		trigger = await triggerFor(sandbox, triggerParameters({ options: { screenName: sandbox.screenName } }));
		await trigger.activate();
		await trigger.deactivate();
		const paths = sandbox.requests('/api/v2/').map((r) => r.path);
		expect(paths.length).toBeGreaterThan(0);
		expect(paths.every((p) => p.startsWith(`/api/v2/${sandbox.screenName}/`))).toBe(true);
	});
});
