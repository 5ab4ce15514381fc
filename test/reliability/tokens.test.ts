/**
 * Token economy and OAuth faults, and write operations that must never run twice (cases TOK-*).
 * Each case gets a fresh sandbox: token state must not leak from one case into another.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import { credentialFor } from '../harness';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { caseTitle } from './cases';
import { addSecret, apiRequests, finalChecks, installChecks, observe, outcome, runChecked, sendJson, startServer } from './support';

installChecks();

const RECONNECT = 'The credential "Zoho SalesIQ (test)" needs to be reconnected.';

let sb: Sandbox | undefined;
async function sandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	sb = await startSandbox({ port: 0, seed: 21, chats: 60, visitors: 10, ...options });
	return sb;
}
afterEach(async () => {
	await sb?.stop();
	sb = undefined;
});

const chatGet = { resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' };
const inputOf = (s: Sandbox, n: number) => s.dataset.chats.slice(0, n).map((c) => ({ id: c.chat_id }));

/** Calls the token endpoint directly, as other clients of the same refresh token would. */
async function refreshDirectly(s: Sandbox): Promise<Record<string, string>> {
	const response = await fetch(`${s.url}/oauth/v2/token`, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'refresh_token', client_id: s.clientId, client_secret: s.clientSecret, refresh_token: s.refreshToken }),
	});
	const body = (await response.json()) as Record<string, string>;
	addSecret(body.access_token, 'an access token refreshed by the test');
	return body;
}

/** A new offline grant of the same app: the 21st one evicts the oldest refresh token. */
async function connectAgain(s: Sandbox): Promise<void> {
	const redirectUri = 'http://127.0.0.1:9/callback';
	const query = new URLSearchParams({
		response_type: 'code',
		client_id: s.clientId,
		scope: 'SalesIQ.chatdetails.READ',
		redirect_uri: redirectUri,
		access_type: 'offline',
	});
	const redirect = await fetch(`${s.url}/oauth/v2/auth?${query}`, { redirect: 'manual' });
	const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
	const response = await fetch(`${s.url}/oauth/v2/token`, {
		method: 'POST',
		body: new URLSearchParams({ grant_type: 'authorization_code', client_id: s.clientId, client_secret: s.clientSecret, redirect_uri: redirectUri, code }),
	});
	const body = (await response.json()) as Record<string, string>;
	addSecret(body.access_token, 'an access token of another connection');
	addSecret(body.refresh_token, 'a refresh token of another connection');
}

describe('token economy', () => {
	it.each([
		['TOK-01', false],
		['TOK-02', true],
	] as const)('%s: 50 items with an expired access token cost exactly one refresh', async (id, errorsAs200) => {
		const s = await sandbox({ errorsAs200 });
		s.expireAccessTokens();
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: inputOf(s, 50), label: id });
		observe(id, outcome(result, `${s.tokenRequests().length} token request(s), ${apiRequests(s).length} API requests`));

		expect(result.error).toBeUndefined();
		expect(result.json.map((c) => c.chat_id)).toEqual(inputOf(s, 50).map((i) => i.id));
		expect(s.tokenRequests()).toHaveLength(1);
		expect(result.tokenUpdates).toHaveLength(1);
		expect(apiRequests(s)).toHaveLength(51);
	});

	it(caseTitle('TOK-03'), async () => {
		const s = await sandbox();
		s.inject({ kind: 'status', as200: true, code: 1008, match: '/chats/', times: 1 });
		const chat = s.dataset.chats[3];
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: [{ id: chat.chat_id }], label: 'TOK-03' });
		const log = s.requests();
		observe('TOK-03', outcome(result, log.map((r) => `${r.method} ${r.path}`).join(', ')));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([chat]);
		expect(log.map((r) => r.path)).toEqual([`/api/v1/${s.screenName}/chats/${chat.chat_id}`, '/oauth/v2/token', `/api/v1/${s.screenName}/chats/${chat.chat_id}`]);
		expect(log[2].headers.authorization).toBe(`Bearer ${result.tokenUpdates[0].access_token}`);
	});
});

describe('a refresh token Zoho no longer honours', () => {
	it.each([
		['TOK-04', false, 1],
		['TOK-05', true, 1],
	] as const)('%s: revoked: the reconnect error on every item, one refresh attempt in all', async (id, errorsAs200, apiCount) => {
		const s = await sandbox({ errorsAs200 });
		s.revokeRefreshToken(s.refreshToken);
		s.expireAccessTokens();
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: inputOf(s, 5), continueOnFail: true, label: id });
		observe(id, `${result.items.length} error items: "${result.json[0]?.error}" — ${result.json[0]?.description}; ${s.tokenRequests().length} token request(s), ${apiRequests(s).length} API request(s)`);

		expect(result.error).toBeUndefined();
		expect(result.json.map((j) => j.error)).toEqual(Array(5).fill(RECONNECT));
		expect(String(result.json[0].description)).toContain('(invalid_code)');
		expect(s.tokenRequests()).toHaveLength(1);
		expect(apiRequests(s)).toHaveLength(apiCount);
	});

	it(caseTitle('TOK-04', 'revoked, without Continue On Fail: the execution stops with n8n’s reconnect error'), async () => {
		const s = await sandbox();
		s.revokeRefreshToken(s.refreshToken);
		s.expireAccessTokens();
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: inputOf(s, 3), label: 'TOK-04b' });

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(RECONNECT);
		expect((result.error as { description?: string }).description).toContain('reconnect it');
		expect(s.tokenRequests()).toHaveLength(1);
	});

	it(caseTitle('TOK-06'), async () => {
		const s = await sandbox();
		for (let i = 0; i < 20; i++) await connectAgain(s);
		s.clearRequests();
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: inputOf(s, 2), continueOnFail: true, label: 'TOK-06' });
		observe('TOK-06', `"${result.json[0]?.error}" on both items; ${s.tokenRequests().length} token request(s)`);

		expect(result.json.map((j) => j.error)).toEqual([RECONNECT, RECONNECT]);
		expect(s.tokenRequests()).toHaveLength(1);
	});

	it(caseTitle('TOK-07'), async () => {
		const s = await sandbox();
		const accounts = await startServer((_req, res) => sendJson(res, 400, { error: 'invalid_grant' }));
		try {
			s.expireAccessTokens();
			const result = await runChecked({
				parameters: chatGet,
				credential: credentialFor(s, { accountsUrl: accounts.url }),
				input: inputOf(s, 3),
				continueOnFail: true,
				label: 'TOK-07',
			});
			observe('TOK-07', `${result.items.length} error items: "${result.json[0]?.error}"; ${accounts.requests.length} token request(s)`);

			expect(result.json.map((j) => j.error)).toEqual(Array(3).fill(RECONNECT));
			expect(String(result.json[0].description)).toContain('(invalid_grant)');
			expect(accounts.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /oauth/v2/token']);
		} finally {
			await accounts.close();
		}
	});

	it(caseTitle('TOK-08'), async () => {
		const s = await sandbox();
		for (let i = 0; i < 10; i++) expect((await refreshDirectly(s)).access_token).toBeTruthy();
		expect(await refreshDirectly(s)).toEqual({ error: 'Access Denied' });
		s.expireAccessTokens();
		s.clearRequests();
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: inputOf(s, 3), continueOnFail: true, label: 'TOK-08' });
		observe('TOK-08', `"${result.json[0]?.error}" — ${result.json[0]?.description}; ${s.tokenRequests().length} token request(s)`);

		expect(result.json.map((j) => j.error)).toEqual(Array(3).fill('Zoho refused to renew the access token: too many token refreshes'));
		expect(String(result.json[0].description)).toContain('at most 10 access tokens per refresh token in any 10 minutes');
		expect(String(result.json[0].description)).toContain('Wait 10 minutes');
		expect(s.tokenRequests()).toHaveLength(1);
	});
});

describe('Zoho Accounts itself fails', () => {
	it(caseTitle('TOK-09'), async () => {
		const s = await sandbox();
		s.inject({ kind: 'status', status: 500, match: '/oauth/v2/token' });
		s.expireAccessTokens();
		const result = await runChecked({ parameters: chatGet, credential: credentialFor(s), input: inputOf(s, 3), continueOnFail: true, label: 'TOK-09' });
		observe('TOK-09', `"${result.json[0]?.error}" — ${result.json[0]?.description}; ${s.tokenRequests().length} token request(s), ${apiRequests(s).length} API request(s)`);

		expect(result.json.map((j) => j.error)).toEqual(Array(3).fill('Zoho Accounts did not renew the access token'));
		expect(String(result.json[0].description)).toContain('The token endpoint answered HTTP 500.');
		expect(s.tokenRequests()).toHaveLength(1);
		expect(apiRequests(s)).toHaveLength(1);
	});

	it(caseTitle('TOK-10'), async () => {
		const s = await sandbox();
		s.inject({ kind: 'hang', match: '/oauth/v2/token' });
		s.expireAccessTokens();
		const started = Date.now();
		const result = await runChecked({
			parameters: { ...chatGet, options: { timeout: 300 } },
			credential: credentialFor(s),
			input: inputOf(s, 2),
			continueOnFail: true,
			label: 'TOK-10',
		});
		const elapsed = Date.now() - started;
		observe('TOK-10', `"${result.json[0]?.error}" on both items after ${elapsed} ms; ${s.tokenRequests().length} token request(s)`);

		expect(elapsed).toBeLessThan(3000);
		expect(result.json.map((j) => j.error)).toEqual(Array(2).fill('Zoho Accounts did not renew the access token'));
		expect(String(result.json[0].description)).toContain('The token endpoint did not answer within 300 ms.');
		expect(s.tokenRequests()).toHaveLength(1);
	});
});

describe('a push notification is never sent twice', () => {
	const push = (options = {}) => ({
		resource: 'pushNotification',
		operation: 'send',
		email: 'tom@zylker.example',
		title: 'Your order shipped',
		message: 'It arrives tomorrow',
		bundleIds: 'com.zylker.app',
		badgeCount: 1,
		options,
	});

	it.each([
		['TOK-11', { kind: 'status', status: 503 }, /HTTP 503/],
		['TOK-12', { kind: 'reset' }, /closed unexpectedly/],
	] as const)('%s: a failed POST is not retried', async (id, fault, text) => {
		const s = await sandbox();
		s.inject({ ...fault, match: '/pushnotification' });
		const result = await runChecked({ parameters: push(), credential: credentialFor(s), label: id });
		observe(id, outcome(result, `${apiRequests(s).length} request(s); ${s.sentNotifications().length} notification(s) recorded by SalesIQ`));

		expect(result.error?.name).toBe('NodeApiError');
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(text);
		expect(apiRequests(s)).toHaveLength(1);
		expect(s.sentNotifications()).toHaveLength(0);
	});

	it(caseTitle('TOK-13'), async () => {
		const s = await sandbox();
		s.inject({ kind: 'latency', ms: 600, match: '/pushnotification' });
		const result = await runChecked({ parameters: push({ timeout: 200 }), credential: credentialFor(s), label: 'TOK-13' });
		// SalesIQ finishes the POST after 600 ms; give it time, then make sure nothing else arrives.
		for (let waited = 0; s.sentNotifications().length === 0 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
		await new Promise((resolve) => setTimeout(resolve, 200));
		observe('TOK-13', outcome(result, `${apiRequests(s).length} request(s); ${s.sentNotifications().length} notification(s) recorded by SalesIQ`));

		expect(result.error?.message).toBe('SalesIQ did not answer within 200 ms');
		expect(apiRequests(s)).toHaveLength(1);
		expect(s.sentNotifications()).toHaveLength(1);
	});

	it(caseTitle('TOK-14'), async () => {
		const s = await sandbox();
		s.inject({ kind: 'throttle', retryAfter: 0, match: '/pushnotification', times: 1 });
		const result = await runChecked({ parameters: push(), credential: credentialFor(s), label: 'TOK-14' });
		observe('TOK-14', outcome(result, `${apiRequests(s).length} request(s); ${s.sentNotifications().length} notification(s) recorded by SalesIQ`));

		expect(result.error).toBeUndefined();
		expect(apiRequests(s)).toHaveLength(2);
		expect(s.sentNotifications()).toHaveLength(1);
	});
});

finalChecks();
