import { getPortals } from '../../../nodes/ZohoSalesIq/methods/loadOptions';
import { redact } from '../../../nodes/ZohoSalesIq/transport/redaction';
import { timeWindowPages } from '../../../nodes/ZohoSalesIq/transport/paging';
import { salesIqRequest } from '../../../nodes/ZohoSalesIq/transport/request';
import { encodeSegment, isSameHost } from '../../../nodes/ZohoSalesIq/transport/url';
import type { Sandbox } from '../../sandbox';
import { credentials, fakeContext, node } from './fake-context';
import { smallSandbox } from '../helpers';

describe('transport units', () => {
	it('on an n8n without refreshOAuth2Token, code 1008 in a 200 body is a clear error to reconnect', async () => {
		const { context, sent } = fakeContext([{ statusCode: 200, headers: {}, body: { error: { code: 1008, message: 'Invalid OAuthToken.' } } }]);

		await expect(salesIqRequest.call(context, { method: 'GET', version: 'v1', path: '/chats' })).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Zoho SalesIQ rejected the access token',
			description: expect.stringContaining('reconnect'),
		});
		expect(sent).toHaveLength(1);
	});

	it('where refreshOAuth2Token exists, code 1008 refreshes and retries exactly once', async () => {
		let refreshes = 0;
		const { context, sent } = fakeContext(
			[
				{ statusCode: 200, headers: {}, body: { error: { code: 1008, message: 'Invalid OAuthToken.' } } },
				{ statusCode: 200, headers: {}, body: { data: [{ chat_id: '1' }] } },
			],
			{ refreshOAuth2Token: async () => refreshes++ },
		);

		await expect(salesIqRequest.call(context, { method: 'GET', version: 'v1', path: '/chats' })).resolves.toEqual([{ chat_id: '1' }]);
		expect(refreshes).toBe(1);
		expect(sent).toHaveLength(2);
	});

	it('sends through httpRequestWithAuthentication with the credential host, the screen name and the options', async () => {
		const { context, sent } = fakeContext([{ statusCode: 200, headers: {}, body: { data: 'x@example.com' } }]);

		await salesIqRequest.call(context, {
			method: 'PUT',
			version: 'v1',
			path: `/visitorsbyemail/${encodeSegment('x@example.com')}`,
			qs: { customerinfo: '{}' },
			timeout: 1234,
		});
		expect(sent[0]).toMatchObject({
			method: 'PUT',
			url: 'https://salesiq.example.com/api/v1/zylker/visitorsbyemail/x@example.com',
			qs: { customerinfo: '{}' },
			timeout: 1234,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			encoding: 'stream',
		});
	});

	it('never echoes a token or the client secret in an error', async () => {
		const echo = `bad token ${credentials.oauthTokenData.access_token}, secret ${credentials.clientSecret}, Bearer abc.def`;
		const { context } = fakeContext([{ statusCode: 400, headers: {}, body: { error: { code: 1011, message: echo } } }]);

		const error = await salesIqRequest.call(context, { method: 'GET', version: 'v1', path: '/chats' }).catch((e: unknown) => e);
		const text = JSON.stringify({ m: (error as Error).message, d: (error as any).description, r: (error as any).errorResponse });
		expect(text).not.toContain(credentials.oauthTokenData.access_token);
		expect(text).not.toContain(credentials.clientSecret);
		expect(text).not.toContain('abc.def');
		expect((error as Error).message).toContain('[redacted]');
	});

	it('redact removes Zoho-shaped tokens and token parameters', () => {
		expect(redact('Authorization: Zoho-oauthtoken 1000.x.y')).toBe('Authorization: Zoho-oauthtoken [redacted]');
		expect(redact('refresh_token=abc&client_secret=def&x=1')).toBe('refresh_token=[redacted]&client_secret=[redacted]&x=1');
		expect(redact('token 1000.0123456789ab.0123456789ab here')).toBe('token [redacted] here');
	});

	it('never lets the download host differ from the API host', () => {
		const api = 'https://salesiq.zoho.eu';
		expect(isSameHost('https://salesiq.zoho.eu/pubdownload/abc', api)).toBe(true);
		expect(isSameHost('https://SALESIQ.zoho.eu/pubdownload/abc', api)).toBe(true);
		expect(isSameHost('http://salesiq.zoho.eu/pubdownload/abc', api)).toBe(false);
		expect(isSameHost('https://salesiq.zoho.eu.evil.example/x', api)).toBe(false);
		expect(isSameHost('https://user@salesiq.zoho.eu/x', api)).toBe(false);
		expect(isSameHost('https://salesiq.zoho.eu:8443/x', api)).toBe(false);
		expect(isSameHost('/pubdownload/abc', api)).toBe(false);
		expect(isSameHost('javascript:alert(1)', api)).toBe(false);
	});

	it('encodes path segments so they cannot change the path', () => {
		expect(encodeSegment('..')).toBe('%2E%2E');
		expect(encodeSegment('a/b?c#d')).toBe('a%2Fb%3Fc%23d');
		expect(encodeSegment('name+tag@example.com')).toBe('name%2Btag@example.com');
	});

	it('time-window paging refuses to skip when more than a page of entries share one millisecond', async () => {
		type Entry = { id: string; t: number };
		const same: Entry[] = Array.from({ length: 150 }, (_, i) => ({ id: String(i), t: 1000 }));
		const pages = timeWindowPages<Entry>({
			node,
			itemIndex: 0,
			order: 'newestFirst',
			noun: 'chats',
			timeOf: (e) => e.t,
			keyOf: (e) => e.id,
			fetchPage: async (limit, _from, to) => same.filter((e) => to === undefined || e.t <= to).slice(0, limit),
		});
		const seen: string[] = [];
		await expect(
			(async () => {
				for await (const page of pages) seen.push(...page.map((e) => e.id));
			})(),
		).rejects.toMatchObject({ message: 'More than 100 chats share the time 1970-01-01T00:00:01.000Z' });
		expect(seen).toHaveLength(100);
	});
});

describe('Portal option (loadOptions)', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 5, visitors: 1 })));
	afterAll(async () => await sb.stop());

	it('lists portals from GET /api/v2/portals with the screen name as the value', async () => {
		const context = {
			getNode: () => node,
			getCredentials: async () => ({ dataCenter: 'custom', apiUrl: sb.apiUrl, screenName: sb.screenName }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: { url: string; method: string }) => {
					const response = await fetch(options.url, { method: options.method, headers: { authorization: `Bearer ${sb.accessToken}` } });
					return { statusCode: response.status, headers: {}, body: await response.json() };
				},
			},
		};

		const options = await getPortals.call(context as any);
		expect(sb.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v2/portals']);
		expect(options).toContainEqual({ name: `${sb.dataset.portal.name} (${sb.screenName})`, value: sb.screenName });
	});
});

describe('time-window paging against a server that pages differently', () => {
	type Entry = { id: string; t: number };
	// 230 entries, newest first, with pairs sharing a millisecond.
	const entries: Entry[] = Array.from({ length: 230 }, (_, i) => ({ id: String(i), t: 100_000 - Math.floor(i / 2) * 7 }));
	const read = async (cap: number, limit?: number) => {
		const calls: number[] = [];
		const pages = timeWindowPages<Entry>({
			node,
			itemIndex: 0,
			order: 'newestFirst',
			limit,
			noun: 'chats',
			timeOf: (e) => e.t,
			keyOf: (e) => e.id,
			fetchPage: async (size, _from, to) => {
				calls.push(size);
				return entries.filter((e) => to === undefined || e.t <= to).slice(0, Math.min(size, cap));
			},
		});
		const ids: string[] = [];
		for await (const page of pages) ids.push(...page.map((e) => e.id));
		return { ids, calls };
	};

	it('loses nothing when the server caps pages at 50 (Zoho’s default) instead of 100', async () => {
		const { ids } = await read(50);
		expect(ids).toEqual(entries.map((e) => e.id));
	});

	it('ends on a short page without an extra request when the server honours the limit', async () => {
		const { ids, calls } = await read(100);
		expect(ids).toEqual(entries.map((e) => e.id));
		expect(calls).toEqual([100, 100, 100]);
	});

	it('asks only for what the limit still needs, plus the repeated edge entries', async () => {
		const { ids, calls } = await read(100, 120);
		expect(ids).toEqual(entries.slice(0, 120).map((e) => e.id));
		// Page 1 ends with two entries sharing a time (98 and 99); both come back, so 20 needed + 2.
		expect(calls).toEqual([100, 22]);
	});
});
