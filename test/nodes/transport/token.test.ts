import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox, tokenRequests } from '../helpers';

const chatGet = (chatId: string) => ({ resource: 'chat', operation: 'get', chatId });

function expectNoSecrets(sb: Sandbox, value: unknown, extra: string[] = []) {
	const text = JSON.stringify(value);
	for (const secret of [sb.accessToken, sb.refreshToken, sb.clientSecret, ...extra]) expect(text).not.toContain(secret);
}

describe('token refresh', () => {
	describe('with errors as 4xx (401 for token problems)', () => {
		let sb: Sandbox;
		beforeAll(async () => (sb = await smallSandbox()));
		afterAll(async () => await sb.stop());
		beforeEach(() => {
			sb.clearRequests();
			sb.clearFaults();
		});

		it('a 401 is refreshed by n8n’s OAuth2 machinery, then the request is retried with the new token', async () => {
			sb.expireAccessTokens();
			const chat = sb.dataset.chats[0];
			const result = await runNode({ parameters: chatGet(chat.chat_id), credential: credentialFor(sb) });

			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([chat]);
			const log = sb.requests();
			expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET /api/v1/${sb.screenName}/chats/${chat.chat_id}`,
				'POST /oauth/v2/token',
				`GET /api/v1/${sb.screenName}/chats/${chat.chat_id}`,
			]);
			const refresh = new URLSearchParams(log[1].body);
			expect(refresh.get('grant_type')).toBe('refresh_token');
			expect(refresh.get('refresh_token')).toBe(sb.refreshToken);
			expect(refresh.get('client_secret')).toBe(sb.clientSecret);
			expect(bearerOf(log[0])).toBe(sb.accessToken);
			const newToken = bearerOf(log[2]);
			expect(newToken).not.toBe(sb.accessToken);
			expect(result.tokenUpdates).toHaveLength(1);
			expect(result.tokenUpdates[0].access_token).toBe(newToken);
		});

		it('code 1008 in a 400 body makes the node refresh through n8n and retry once', async () => {
			sb.inject({ kind: 'status', status: 400, code: 1008, match: '/chats/', times: 1 });
			const chat = sb.dataset.chats[1];
			const result = await runNode({ parameters: chatGet(chat.chat_id), credential: credentialFor(sb) });

			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([chat]);
			expect(sb.requests().map((r) => r.path)).toEqual([
				`/api/v1/${sb.screenName}/chats/${chat.chat_id}`,
				'/oauth/v2/token',
				`/api/v1/${sb.screenName}/chats/${chat.chat_id}`,
			]);
			expect(result.tokenUpdates).toHaveLength(1);
			expect(bearerOf(apiRequests(sb)[1])).toBe(result.tokenUpdates[0].access_token);
		});

		it('gives a clear error, with no secret in it, when the refresh token was revoked', async () => {
			const fresh = await smallSandbox({ chats: 5, visitors: 1 });
			try {
				fresh.revokeRefreshToken(fresh.refreshToken);
				fresh.expireAccessTokens();
				const result = await runNode({ parameters: chatGet(fresh.dataset.chats[0].chat_id), credential: credentialFor(fresh) });

				// Zoho answers the refresh with HTTP 200 {"error":"invalid_code"}; n8n retries once, the token is still refused,
				// and the node reports what Zoho said: the credential must be reconnected.
				expect(result.error?.name).toBe('NodeOperationError');
				expect(result.error?.message).toBe('The credential "Zoho SalesIQ (test)" needs to be reconnected.');
				expect(result.error?.description).toContain('(invalid_code)');
				expect(tokenRequests(fresh)).toHaveLength(1);
				expect(apiRequests(fresh)).toHaveLength(1);
				expectNoSecrets(fresh, { message: result.error?.message, description: result.error?.description, errorResponse: (result.error as any)?.errorResponse });
			} finally {
				await fresh.stop();
			}
		});
	});

	describe('with errors as HTTP 200 (as Zoho documents)', () => {
		let sb: Sandbox;
		beforeAll(async () => (sb = await smallSandbox({ errorsAs200: true })));
		afterAll(async () => await sb.stop());
		beforeEach(() => {
			sb.clearRequests();
			sb.clearFaults();
		});

		// First, while the credential's first token is still valid: later tests expire it and spend the
		// renewal budget of this refresh token (2 in 10 minutes).
		it('treats an error body in a 200 as an error (2021)', async () => {
			const result = await runNode({ parameters: chatGet('31337'), credential: credentialFor(sb) });

			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe('Zoho SalesIQ error 2021: Invalid chat_id');
			expect(result.items).toEqual([]);
		});

		it('code 1008 in a 200 body refreshes through this.helpers.refreshOAuth2Token and retries once', async () => {
			sb.expireAccessTokens();
			const chat = sb.dataset.chats[2];
			const result = await runNode({ parameters: chatGet(chat.chat_id), credential: credentialFor(sb) });

			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([chat]);
			const log = sb.requests();
			expect(log.map((r) => r.path)).toEqual([
				`/api/v1/${sb.screenName}/chats/${chat.chat_id}`,
				'/oauth/v2/token',
				`/api/v1/${sb.screenName}/chats/${chat.chat_id}`,
			]);
			expect(new URLSearchParams(log[1].body).get('grant_type')).toBe('refresh_token');
			expect(result.tokenUpdates).toHaveLength(1);
			expect(bearerOf(log[2])).toBe(result.tokenUpdates[0].access_token);
		});

		it('refreshes only once: a 1008 that survives the refresh becomes a clear error', async () => {
			sb.inject({ kind: 'status', as200: true, code: 1008, match: '/chats/' });
			const result = await runNode({ parameters: chatGet(sb.dataset.chats[0].chat_id), credential: credentialFor(sb) });

			expect(apiRequests(sb)).toHaveLength(2);
			expect(tokenRequests(sb)).toHaveLength(1);
			expect(result.error?.message).toBe('SalesIQ rejected the access token again right after it was renewed');
			expect(result.error?.description).toContain('data center');
			expect((result.error as any).httpCode).toBe('200');
		});
	});
});
