import { ALL_SCOPES, startSandbox } from './index';
import type { Sandbox } from './index';
import { api, grant, subscriber, v1 } from './helpers';

describe('sandbox API authentication, scopes and general errors', () => {
	let sandbox: Sandbox;
	let hook: Awaited<ReturnType<typeof subscriber>>;
	let webhookId: string;

	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 60, visitors: 20, seed: 5 });
		hook = await subscriber();
		const created = await api(sandbox, `/api/v2/${sandbox.screenName}/webhooks`, {
			method: 'POST',
			body: JSON.stringify({ type: 'data', url: hook.url, events: ['conversation.created'], version: '1' }),
		});
		webhookId = created.body.data.id;
	});
	afterAll(async () => {
		await sandbox.stop();
		await hook.close();
	});

	const answered = () => sandbox.dataset.chats.find((c) => !c.missed_time)?.chat_id as string;

	test('a missing or malformed Authorization header answers 401 with code 1002', async () => {
		const variants: Array<Record<string, string>> = [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer' }];
		for (const headers of variants) {
			const res = await api(sandbox, v1(sandbox, '/chats'), { token: null, headers });
			expect(res.status).toBe(401);
			expect(res.body).toEqual({ error: { code: 1002, message: 'Invalid authorization header.' } });
		}
	});

	test('an unknown token answers 401 with code 1008', async () => {
		const res = await api(sandbox, v1(sandbox, '/chats'), { token: '1000.unknown.token' });
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: { code: 1008, message: 'Invalid OAuthToken.' } });
	});

	test('Bearer and Zoho-oauthtoken are both accepted, in any case', async () => {
		for (const scheme of ['Bearer', 'Zoho-oauthtoken', 'zoho-oauthtoken', 'bearer']) {
			expect((await api(sandbox, v1(sandbox, '/chats?limit=1'), { scheme })).status).toBe(200);
		}
	});

	test('an unknown screen name answers 404 with code 1005', async () => {
		const res = await api(sandbox, '/api/v1/not-our-portal/chats');
		expect(res.status).toBe(404);
		expect(res.body.error.code).toBe(1005);
		expect((await api(sandbox, '/api/v2/not-our-portal/apps')).body.error.code).toBe(1005);
	});

	test('an unknown route is 1006 and a wrong method is 1004', async () => {
		const unknown = await api(sandbox, v1(sandbox, '/nothing-here'));
		expect(unknown).toMatchObject({ status: 404, body: { error: { code: 1006 } } });
		const method = await api(sandbox, v1(sandbox, '/chats'), { method: 'DELETE' });
		expect(method).toMatchObject({ status: 405, body: { error: { code: 1004 } } });
		const outside = await fetch(`${sandbox.url}/somewhere`);
		expect(outside.status).toBe(404);
	});

	// Every route with the scope docs/ZOHO-API.md gives it: a token holding only that scope gets the route's own
	// answer (status and Zoho code), and a token holding every other scope gets 1009. Online grants, so the 20
	// refresh-token limit never evicts the pre-issued token.
	const routes: Array<[string, string, (s: Sandbox) => string, string | undefined, number, number | null]> = [
		['GET', 'SalesIQ.chatdetails.READ', (s) => v1(s, '/chats'), undefined, 200, null],
		['GET', 'SalesIQ.chatdetails.READ', (s) => v1(s, `/chats/${s.dataset.chats[0].chat_id}`), undefined, 200, null],
		['GET', 'SalesIQ.chatdetails.READ', (s) => v1(s, '/chats/1/attachments/2/A_3'), undefined, 404, 2041],
		['GET', 'SalesIQ.chattranscript.READ', (s) => v1(s, `/chats/${s.dataset.chats[0].chat_id}/transcript`), undefined, 200, null],
		['GET', 'SalesIQ.visitordetails.READ', (s) => v1(s, '/visitorsview/-1/visitors'), undefined, 200, null],
		['PUT', 'SalesIQ.visitordetails.UPDATE', (s) => v1(s, `/visitorsbyemail/${s.dataset.visitors[0].email}?customerinfo=%7B%7D`), undefined, 200, null],
		['POST', 'SalesIQ.visitordetails.UPDATE', (s) => v1(s, `/visitorsbyemail/${s.dataset.visitors[0].email}?customerinfo=%7B%7D`), undefined, 200, null],
		['POST', 'SalesIQ.PushNotifications.UPDATE', (s) => v1(s, '/pushnotification?email=a@b.example&badgecount=0&bundleids=x'), undefined, 200, null],
		['GET', 'SalesIQ.portals.READ', () => '/api/v2/portals', undefined, 200, null],
		['GET', 'SalesIQ.Apps.READ', (s) => `/api/v2/${s.screenName}/apps`, undefined, 200, null],
		['GET', 'SalesIQ.departments.READ', (s) => `/api/v2/${s.screenName}/departments`, undefined, 200, null],
		['GET', 'SalesIQ.webhooks.READ', (s) => `/api/v2/${s.screenName}/webhooks`, undefined, 200, null],
		['GET', 'SalesIQ.webhooks.READ', (s) => `/api/v2/${s.screenName}/webhooks/${webhookId}`, undefined, 200, null],
		['POST', 'SalesIQ.webhooks.CREATE', (s) => `/api/v2/${s.screenName}/webhooks`, '{}', 400, 1011],
		['PUT', 'SalesIQ.webhooks.UPDATE', (s) => `/api/v2/${s.screenName}/webhooks/${webhookId}`, '{}', 200, null],
		['DELETE', 'SalesIQ.webhooks.DELETE', (s) => `/api/v2/${s.screenName}/webhooks/unknown-id`, undefined, 404, 1019],
		['POST', 'SalesIQ.webhooks.CREATE', (s) => `/api/v2/${s.screenName}/webhooks/unknown-id/keys`, undefined, 404, 1019],
		['DELETE', 'SalesIQ.webhooks.DELETE', (s) => `/api/v2/${s.screenName}/webhooks/unknown-id/keys/k`, undefined, 404, 1019],
	];

	test.each(routes)('%s with scope %s', async (method, scope, path, body, status, code) => {
		const only = await grant(sandbox, scope, 'online');
		const allowed = await api(sandbox, path(sandbox), { method, body, token: only.access_token });
		// Past the scope check: the route's own answer (an unknown id or an empty body has its own error).
		expect(allowed.status).toBe(status);
		expect(allowed.body?.error?.code ?? null).toBe(code);
		const others = await grant(sandbox, ALL_SCOPES.filter((s) => s !== scope).join(','), 'online');
		const refused = await api(sandbox, path(sandbox), { method, body, token: others.access_token });
		// The default scope-error variant: HTTP 200 with 1009, as Zoho's docs describe every error.
		expect(refused.status).toBe(200);
		expect(refused.body).toEqual({ error: { code: 1009, message: 'Invalid OAuthScope.' } });
	});

	test('scopes match case-insensitively and .ALL grants every operation of a resource', async () => {
		const lower = await grant(sandbox, 'salesiq.chattranscript.read', 'online');
		expect((await api(sandbox, v1(sandbox, `/chats/${answered()}/transcript`), { token: lower.access_token })).status).toBe(200);
		const all = await grant(sandbox, 'SalesIQ.webhooks.ALL', 'online');
		const list = await api(sandbox, `/api/v2/${sandbox.screenName}/webhooks`, { token: all.access_token });
		expect(list.status).toBe(200);
	});

	test('every API error keeps its code in the body; the status follows docs/ZOHO-API.md (Errors)', async () => {
		const cases: Array<[string, number, number]> = [
			[v1(sandbox, '/chats/999999999'), 404, 2021],
			[v1(sandbox, '/chats?limit=x'), 400, 1011],
			[v1(sandbox, '/visitorsview/7/visitors'), 400, 1011],
		];
		for (const [path, status, code] of cases) {
			const res = await api(sandbox, path);
			expect(res.status).toBe(status);
			expect(res.body.error.code).toBe(code);
		}
	});
});

describe('sandbox errorsAs200', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 30, visitors: 5, errorsAs200: true });
	});
	afterAll(() => sandbox.stop());

	test.each([
		['no header', (s: Sandbox) => v1(s, '/chats'), null, 1002],
		['bad token', (s: Sandbox) => v1(s, '/chats'), '1000.x.y', 1008],
		['unknown screen', () => '/api/v1/nope/chats', undefined, 1005],
		['unknown route', (s: Sandbox) => v1(s, '/nope'), undefined, 1006],
		['bad param', (s: Sandbox) => v1(s, '/chats?fromtime=yesterday'), undefined, 1011],
		['unknown chat', (s: Sandbox) => v1(s, '/chats/42'), undefined, 2021],
		['unknown email', (s: Sandbox) => v1(s, '/visitorsbyemail/nobody@x.example?customerinfo=%7B%7D'), undefined, 2311],
	] as const)('%s answers HTTP 200 with the error body', async (_name, path, tokenValue, code) => {
		const method = code === 2311 ? 'PUT' : 'GET';
		const res = await api(sandbox, path(sandbox), { method, ...(tokenValue === undefined ? {} : { token: tokenValue }) });
		expect(res.status).toBe(200);
		expect(res.body.error.code).toBe(code);
		expect(typeof res.body.error.message).toBe('string');
	});

	test('a missing scope answers HTTP 200 with 1009', async () => {
		const only = await grant(sandbox, 'SalesIQ.portals.READ');
		const res = await api(sandbox, v1(sandbox, '/chats'), { token: only.access_token });
		expect(res).toMatchObject({ status: 200, body: { error: { code: 1009 } } });
	});

	test('token endpoint errors stay HTTP 200 and successes are unchanged', async () => {
		const res = await fetch(`${sandbox.url}/oauth/v2/token?grant_type=refresh_token&client_id=x`, { method: 'POST' });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ error: 'invalid_client' });
		expect((await api(sandbox, v1(sandbox, '/chats?limit=2'))).body.data).toHaveLength(2);
	});
});
