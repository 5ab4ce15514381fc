import { startSandbox } from './index';
import type { Sandbox } from './index';
import { api, authorize, grant, refresh, token, v1 } from './helpers';

const REDIRECT = 'http://127.0.0.1:9/callback';
const TOKEN_FORMAT = /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/;

describe('sandbox OAuth (Zoho Accounts)', () => {
	let sandbox: Sandbox;
	let now = 1_800_000_000_000;

	beforeEach(async () => {
		now = 1_800_000_000_000;
		sandbox = await startSandbox({ chats: 20, visitors: 5, clock: () => now });
	});
	afterEach(() => sandbox.stop());

	const exchange = (code: string, where: 'query' | 'form' = 'form', overrides: Record<string, string> = {}) =>
		token(
			sandbox,
			{
				grant_type: 'authorization_code',
				client_id: sandbox.clientId,
				client_secret: sandbox.clientSecret,
				redirect_uri: REDIRECT,
				code,
				...overrides,
			},
			where,
		);

	test('authorize consents and redirects with code, state, location and accounts-server', async () => {
		const query = await authorize(sandbox, { scope: 'SalesIQ.chatdetails.READ,SalesIQ.portals.READ', state: 'xyz' });
		expect(query.get('code')).toMatch(TOKEN_FORMAT);
		expect(query.get('state')).toBe('xyz');
		expect(query.get('location')).toBe('us');
		expect(query.get('accounts-server')).toBe(sandbox.url);
		const [logged] = sandbox.requests('/oauth/v2/auth');
		expect(logged.method).toBe('GET');
		expect(logged.query).toMatchObject({
			scope: 'SalesIQ.chatdetails.READ,SalesIQ.portals.READ',
			access_type: 'offline',
			prompt: 'consent',
			redirect_uri: REDIRECT,
			state: 'xyz',
		});
	});

	test('authorize redirects with an error for an unknown client, a wrong response_type or no scope', async () => {
		expect((await authorize(sandbox, { client_id: 'nope' })).get('error')).toBe('invalid_client');
		expect((await authorize(sandbox, { response_type: 'token' })).get('error')).toBe('unsupported_response_type');
		expect((await authorize(sandbox, { scope: '' })).get('error')).toBe('invalid_scope');
		const res = await fetch(`${sandbox.url}/oauth/v2/auth?client_id=x&redirect_uri=not-a-url`, { redirect: 'manual' });
		expect(res.status).toBe(400);
	});

	test('deny mode redirects with error=access_denied and keeps state', async () => {
		const denied = await startSandbox({ chats: 1, visitors: 0, deny: true });
		try {
			const query = await authorize(denied, { state: 's1' });
			expect(query.get('error')).toBe('access_denied');
			expect(query.get('state')).toBe('s1');
			expect(query.get('code')).toBeNull();
			denied.setDeny(false);
			expect((await authorize(denied, {})).get('code')).toMatch(TOKEN_FORMAT);
		} finally {
			await denied.stop();
		}
	});

	test.each(['query', 'form'] as const)('code exchange with parameters in the %s', async (where) => {
		const code = (await authorize(sandbox, {})).get('code') as string;
		const res = await exchange(code, where);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			access_token: expect.stringMatching(TOKEN_FORMAT),
			refresh_token: expect.stringMatching(TOKEN_FORMAT),
			api_domain: 'https://www.zohoapis.com',
			token_type: 'Bearer',
			expires_in: 3600,
		});
		const chats = await api(sandbox, v1(sandbox, '/chats?limit=1'), { token: res.body.access_token });
		expect(chats.status).toBe(200);
		const logged = sandbox.tokenRequests();
		expect(logged).toHaveLength(1);
		if (where === 'form') expect(new URLSearchParams(logged[0].body).get('code')).toBe(code);
		else expect(logged[0].query.code).toBe(code);
	});

	test('codes are single-use', async () => {
		const code = (await authorize(sandbox, {})).get('code') as string;
		expect((await exchange(code)).body.access_token).toBeDefined();
		const again = await exchange(code);
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ error: 'invalid_code' });
	});

	test('codes live 120 seconds', async () => {
		const fresh = (await authorize(sandbox, {})).get('code') as string;
		const stale = (await authorize(sandbox, {})).get('code') as string;
		now += 119_000;
		expect((await exchange(fresh)).body.access_token).toBeDefined();
		now += 1_000;
		expect((await exchange(stale)).body).toEqual({ error: 'invalid_code' });
	});

	test('unknown codes, wrong client credentials and a different redirect_uri are refused with HTTP 200', async () => {
		expect((await exchange('1000.abc.def')).body).toEqual({ error: 'invalid_code' });
		const code = (await authorize(sandbox, {})).get('code') as string;
		const badSecret = await exchange(code, 'form', { client_secret: 'wrong' });
		expect(badSecret).toEqual({ status: 200, body: { error: 'invalid_client' } });
		expect((await exchange(code, 'form', { client_id: '1000.OTHER' })).body).toEqual({ error: 'invalid_client' });
		expect((await exchange(code, 'form', { redirect_uri: 'http://127.0.0.1:9/other' })).body).toEqual({ error: 'invalid_redirect_uri' });
		expect((await exchange(code, 'form', { grant_type: 'password' })).body).toEqual({ error: 'unsupported_grant_type' });
		expect((await exchange(code)).body.access_token).toBeDefined();
	});

	test('access_type=online gives no refresh token', async () => {
		const body = await grant(sandbox, 'SalesIQ.chatdetails.READ', 'online');
		expect(body.access_token).toMatch(TOKEN_FORMAT);
		expect(body).not.toHaveProperty('refresh_token');
	});

	test('refresh returns a new access token without refresh_token and keeps the granted scopes', async () => {
		const first = await grant(sandbox, 'SalesIQ.chatdetails.READ');
		const res = await refresh(sandbox, first.refresh_token);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			access_token: expect.stringMatching(TOKEN_FORMAT),
			api_domain: 'https://www.zohoapis.com',
			token_type: 'Bearer',
			expires_in: 3600,
		});
		expect(res.body.access_token).not.toBe(first.access_token);
		expect((await api(sandbox, v1(sandbox, '/chats'), { token: res.body.access_token })).status).toBe(200);
		const chatId = sandbox.dataset.chats.find((c) => !c.missed_time)?.chat_id;
		const transcript = await api(sandbox, v1(sandbox, `/chats/${chatId}/transcript`), { token: res.body.access_token });
		expect(transcript.body.error.code).toBe(1009);
	});

	test('refresh with an unknown token or a wrong secret fails', async () => {
		expect((await refresh(sandbox, '1000.dead.beef')).body).toEqual({ error: 'invalid_code' });
		const res = await token(sandbox, {
			grant_type: 'refresh_token',
			client_id: sandbox.clientId,
			client_secret: 'nope',
			refresh_token: sandbox.refreshToken,
		});
		expect(res.body).toEqual({ error: 'invalid_client' });
	});

	test('a refresh token mints at most 10 access tokens per 10 minutes', async () => {
		for (let i = 0; i < 10; i++) {
			expect((await refresh(sandbox, sandbox.refreshToken)).body.access_token).toMatch(TOKEN_FORMAT);
			now += 1_000;
		}
		const denied = await refresh(sandbox, sandbox.refreshToken);
		expect(denied).toEqual({ status: 200, body: { error: 'Access Denied' } });
		// The window slides: once the first grant is 10 minutes old, one more is allowed.
		now += 600_000 - 10_000;
		expect((await refresh(sandbox, sandbox.refreshToken)).body.access_token).toMatch(TOKEN_FORMAT);
		expect((await refresh(sandbox, sandbox.refreshToken)).body).toEqual({ error: 'Access Denied' });
	});

	test('the limit is per refresh token', async () => {
		const other = await grant(sandbox, 'SalesIQ.chatdetails.READ');
		for (let i = 0; i < 10; i++) await refresh(sandbox, sandbox.refreshToken);
		expect((await refresh(sandbox, sandbox.refreshToken)).body.error).toBe('Access Denied');
		expect((await refresh(sandbox, other.refresh_token)).body.access_token).toMatch(TOKEN_FORMAT);
	});

	test('at most 20 refresh tokens per user and client: the 21st evicts the oldest (the pre-issued one counts)', async () => {
		const issued: string[] = [];
		for (let i = 0; i < 19; i++) issued.push((await grant(sandbox, 'SalesIQ.chatdetails.READ')).refresh_token);
		expect((await refresh(sandbox, sandbox.refreshToken)).body.access_token).toBeDefined();
		issued.push((await grant(sandbox, 'SalesIQ.chatdetails.READ')).refresh_token);
		expect((await refresh(sandbox, sandbox.refreshToken)).body).toEqual({ error: 'invalid_code' });
		// Evicting a refresh token also kills the access tokens it minted.
		expect((await api(sandbox, v1(sandbox, '/chats'))).body.error.code).toBe(1008);
		expect((await refresh(sandbox, issued[0])).body.access_token).toBeDefined();
		issued.push((await grant(sandbox, 'SalesIQ.chatdetails.READ')).refresh_token);
		expect((await refresh(sandbox, issued[0])).body).toEqual({ error: 'invalid_code' });
		expect((await refresh(sandbox, issued[1])).body.access_token).toBeDefined();
	});

	test('access tokens expire after tokenTtlSeconds', async () => {
		const short = await startSandbox({ chats: 5, visitors: 0, tokenTtlSeconds: 60, clock: () => now });
		try {
			const body = await grant(short, 'SalesIQ.chatdetails.READ');
			expect(body.expires_in).toBe(60);
			now += 59_000;
			expect((await api(short, v1(short, '/chats'), { token: body.access_token })).status).toBe(200);
			now += 1_000;
			const expired = await api(short, v1(short, '/chats'), { token: body.access_token });
			expect(expired.status).toBe(401);
			expect(expired.body.error.code).toBe(1008);
		} finally {
			await short.stop();
		}
	});

	test('expireAccessTokens makes current tokens answer 1008 until a refresh', async () => {
		expect(sandbox.expireAccessTokens()).toBeGreaterThanOrEqual(1);
		const res = await api(sandbox, v1(sandbox, '/chats'));
		expect(res).toMatchObject({ status: 401, body: { error: { code: 1008, message: 'Invalid OAuthToken.' } } });
		const renewed = await refresh(sandbox, sandbox.refreshToken);
		expect((await api(sandbox, v1(sandbox, '/chats'), { token: renewed.body.access_token })).status).toBe(200);
	});

	test('advanceTime moves the sandbox clock', async () => {
		const clockless = await startSandbox({ chats: 1, visitors: 0, tokenTtlSeconds: 30 });
		try {
			clockless.advanceTime(31_000);
			expect((await api(clockless, v1(clockless, '/chats'))).body.error.code).toBe(1008);
		} finally {
			await clockless.stop();
		}
	});

	test('legacy mode sends expires_in_sec and expires_in in milliseconds', async () => {
		const legacy = await startSandbox({ chats: 1, visitors: 0, legacyExpiresIn: true });
		try {
			const body = await grant(legacy, 'SalesIQ.chatdetails.READ');
			expect(body.expires_in_sec).toBe(3600);
			expect(body.expires_in).toBe(3_600_000);
		} finally {
			await legacy.stop();
		}
	});

	test('revoke via /oauth/v2/token/revoke kills the refresh token and its access tokens', async () => {
		const res = await fetch(`${sandbox.url}/oauth/v2/token/revoke?token=${sandbox.refreshToken}`, { method: 'POST' });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ status: 'success' });
		expect((await refresh(sandbox, sandbox.refreshToken)).body).toEqual({ error: 'invalid_code' });
		expect((await api(sandbox, v1(sandbox, '/chats'))).body.error.code).toBe(1008);
		const again = await fetch(`${sandbox.url}/oauth/v2/token/revoke?token=${sandbox.refreshToken}`, { method: 'POST' });
		expect(again.status).toBe(400);
	});

	test('revoke via /oauth/v2/revoke/token with token_type and Basic client credentials', async () => {
		const basic = `Basic ${Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64')}`;
		const wrong = await fetch(`${sandbox.url}/oauth/v2/revoke/token?token=${sandbox.accessToken}&token_type=access_token`, {
			method: 'POST',
			headers: { authorization: 'Basic bm9wZTpub3Bl' },
		});
		expect(wrong.status).toBe(400);
		const res = await fetch(`${sandbox.url}/oauth/v2/revoke/token`, {
			method: 'POST',
			headers: { authorization: basic },
			body: new URLSearchParams({ token: sandbox.accessToken, token_type: 'access_token' }),
		});
		expect(res.status).toBe(200);
		expect((await api(sandbox, v1(sandbox, '/chats'))).body.error.code).toBe(1008);
		// The refresh token survives an access-token revocation.
		expect((await refresh(sandbox, sandbox.refreshToken)).body.access_token).toBeDefined();
		const mismatch = await fetch(`${sandbox.url}/oauth/v2/revoke/token?token=${sandbox.refreshToken}&token_type=access_token`, {
			method: 'POST',
		});
		expect(mismatch.status).toBe(400);
	});

	test('revokeRefreshToken from the programmatic API', async () => {
		expect(sandbox.revokeRefreshToken(sandbox.refreshToken)).toBe(true);
		expect(sandbox.revokeRefreshToken(sandbox.refreshToken)).toBe(false);
		expect((await refresh(sandbox, sandbox.refreshToken)).body.error).toBe('invalid_code');
	});

	test('the token endpoint only takes POST', async () => {
		const res = await fetch(`${sandbox.url}/oauth/v2/token?grant_type=refresh_token`);
		expect(res.status).toBe(405);
	});
});
