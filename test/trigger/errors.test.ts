import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { credentialFor } from '../harness';
import type { TriggerHarness } from '../harness/webhook';
import { ALL_SCOPES, type Sandbox } from '../sandbox';
import { grant } from '../sandbox/helpers';
import { countRequests, sandboxFor, triggerFor, triggerParameters } from './setup';

/** Everything an error shows a user or a log: message, description and its JSON form. */
function errorText(error: unknown): string {
	const e = error as NodeApiError;
	return [e.message, e.description ?? '', JSON.stringify(e)].join('\n');
}

async function activationError(trigger: TriggerHarness): Promise<Error> {
	try {
		await trigger.activate();
	} catch (error) {
		return error as Error;
	}
	throw new Error('activation succeeded but was expected to fail');
}

describe('Zoho SalesIQ Trigger: subscription errors', () => {
	let sandbox: Sandbox;
	let trigger: TriggerHarness | undefined;

	afterEach(async () => {
		await trigger?.stop();
		trigger = undefined;
		await sandbox.stop();
	});

	function expectNoSecrets(error: unknown, extra: string[] = []) {
		const text = errorText(error);
		for (const secret of [sandbox.accessToken, sandbox.refreshToken, sandbox.clientSecret, ...extra]) {
			expect(text).not.toContain(secret);
		}
	}

	it('says to reconnect the credential when it lacks the webhook scope', async () => {
		sandbox = await sandboxFor();
		const scopes = ALL_SCOPES.filter((scope) => scope !== 'SalesIQ.webhooks.CREATE');
		const tokens = await grant(sandbox, scopes.join(','));
		const credential = credentialFor(sandbox, {
			oauthTokenData: { access_token: tokens.access_token, refresh_token: tokens.refresh_token, token_type: 'Bearer' },
		});
		trigger = await triggerFor(sandbox, triggerParameters(), { credential });

		const error = await activationError(trigger);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Reconnect the Zoho SalesIQ credential/);
		expect(error.message).toContain('SalesIQ.webhooks.CREATE');
		expect(sandbox.webhooks()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
		expectNoSecrets(error, [tokens.access_token, tokens.refresh_token]);
	});

	it('says that n8n needs a public HTTPS URL when SalesIQ cannot reach the webhook URL', async () => {
		sandbox = await sandboxFor();
		// Nothing listens on port 1: SalesIQ's HEAD check fails as it would for a private n8n.
		trigger = await triggerFor(sandbox, triggerParameters(), { announcedOrigin: 'http://127.0.0.1:1' });

		const error = await activationError(trigger);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('public HTTPS URL');
		expect(error.message).toContain(trigger.webhookUrl());
		expect(trigger.webhookUrl()).toMatch(/^http:\/\/127\.0\.0\.1:1\/webhook\/[^/]+\/webhook$/);
		expect((error as NodeApiError).description).toMatch(/HEAD request/);
		expect((error as NodeApiError).description).toMatch(/WEBHOOK_URL/);
		expect(countRequests(sandbox, 'POST', '/webhooks')).toBe(1);
		expect(sandbox.webhooks()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
		expectNoSecrets(error);
	});

	it.each([false, true])('names the screen name when the portal is unknown (errors as HTTP 200: %s)', async (errorsAs200) => {
		sandbox = await sandboxFor({ errorsAs200 });
		trigger = await triggerFor(sandbox, triggerParameters({ options: { screenName: 'nosuchportal' } }));

		const error = await activationError(trigger);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/screen name/);
		expect(error.message).toContain('"nosuchportal"');
		expect(sandbox.webhooks()).toEqual([]);
		expectNoSecrets(error);
	});

	it('deletes the new subscription again when its public key cannot be fetched', async () => {
		sandbox = await sandboxFor();
		sandbox.inject({ kind: 'status', status: 500, match: '/keys', method: 'POST' });
		trigger = await triggerFor(sandbox);

		const error = await activationError(trigger);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(countRequests(sandbox, 'POST', '/webhooks')).toBe(1);
		expect(sandbox.webhooks()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
		expectNoSecrets(error);
	});

	it('refuses to activate without events, before calling SalesIQ', async () => {
		sandbox = await sandboxFor();
		trigger = await triggerFor(sandbox, triggerParameters({ events: [] }));

		const error = await activationError(trigger);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Choose at least one event');
		expect(sandbox.requests('/api/')).toEqual([]);
	});

	it('treats a subscription already deleted in SalesIQ as deleted, and clears the static data', async () => {
		sandbox = await sandboxFor();
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const [hook] = sandbox.webhooks();
		await fetch(`${sandbox.url}/api/v2/${sandbox.screenName}/webhooks/${hook.id}`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${sandbox.accessToken}` },
		});

		await expect(trigger.deactivate()).resolves.toBeUndefined();
		expect(trigger.staticData()).toEqual({});
	});

	it('keeps the webhook id when deleting fails, so the next activation can still clean up', async () => {
		sandbox = await sandboxFor();
		trigger = await triggerFor(sandbox);
		await trigger.activate();
		const id = trigger.staticData().webhookId;
		sandbox.inject({ kind: 'status', status: 500, match: '/webhooks/', method: 'DELETE', times: 1 });

		await expect(trigger.deactivate()).rejects.toBeInstanceOf(NodeApiError);
		expect(trigger.staticData().webhookId).toBe(id);
		expect(sandbox.webhooks()).toHaveLength(1);

		await trigger.deactivate();
		expect(sandbox.webhooks()).toEqual([]);
		expect(trigger.staticData()).toEqual({});
	});
});
