import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, smallSandbox } from '../helpers';

/** Runs Zoho's authorization-code flow against the sandbox for a token with only `scopes`. */
async function tokenWithScopes(sb: Sandbox, scopes: string[]) {
	const redirectUri = 'http://127.0.0.1:9/callback';
	const auth = new URL('/oauth/v2/auth', sb.accountsUrl);
	auth.search = new URLSearchParams({
		response_type: 'code',
		client_id: sb.clientId,
		scope: scopes.join(','),
		redirect_uri: redirectUri,
		access_type: 'offline',
	}).toString();
	const redirect = await fetch(auth, { redirect: 'manual' });
	const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
	const response = await fetch(new URL('/oauth/v2/token', sb.accountsUrl), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			client_id: sb.clientId,
			client_secret: sb.clientSecret,
			redirect_uri: redirectUri,
			code,
		}),
	});
	const body = (await response.json()) as { access_token: string; refresh_token: string };
	return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

describe('Zoho error codes', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it('1009 names the missing scope and says to reconnect the credential', async () => {
		const limited = await tokenWithScopes(sb, ['SalesIQ.chatdetails.READ']);
		sb.clearRequests();
		const chat = sb.dataset.chats.find((c) => !c.missed_time)!;
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId: chat.chat_id, returnAll: true },
			credential: credentialFor({ ...sb.info(), ...limited }),
		});

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Zoho SalesIQ error 1009: Invalid OAuthScope.');
		expect(result.error?.description).toContain('SalesIQ.chattranscript.READ');
		expect(result.error?.description).toContain('Reconnect the Zoho SalesIQ credential');
		expect(JSON.stringify(result.error)).not.toContain(limited.accessToken);
		expect(JSON.stringify(result.error)).not.toContain(limited.refreshToken);
	});

	it('1005 says to check the screen name, from the credential as well', async () => {
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true },
			credential: credentialFor({ ...sb.info(), screenName: 'wrongportal' }),
		});

		expect(apiRequests(sb)[0].path).toBe('/api/v1/wrongportal/visitorsview/-1/visitors');
		expect(result.error?.message).toBe('Zoho SalesIQ error 1005: Invalid portal or wrong screen name.');
		expect(result.error?.description).toContain('Check the screen name ("wrongportal")');
	});

	it('continueOnFail keeps Zoho’s code, message, hint and HTTP status in the error item', async () => {
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'update', email: 'ghost@example.com', customerInfo: { field: [{ key: 'a', value: 'b' }] } },
			credential: credentialFor(sb),
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: {
					error: 'Zoho SalesIQ error 2311: No Visitor found',
					description: expect.stringContaining('No visitor with this email exists'),
					httpCode: '404',
					code: 2311,
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});
