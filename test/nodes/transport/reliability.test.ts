import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, smallSandbox } from '../helpers';

describe('server errors, dropped connections, timeouts and odd bodies', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	const chatGet = (options = {}) => ({ resource: 'chat', operation: 'get', chatId: sb.dataset.chats[0].chat_id, options });

	it.each([[500], [503], [504]])('retries a GET after HTTP %d, up to two more tries', async (status) => {
		sb.inject({ kind: 'status', status, match: '/chats/', times: 2 });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([sb.dataset.chats[0]]);
		expect(apiRequests(sb)).toHaveLength(3);
	});

	it('fails clearly after the retries, with the HTTP status', async () => {
		sb.inject({ kind: 'html', status: 502, match: '/chats/' });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(apiRequests(sb)).toHaveLength(3);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('SalesIQ answered with HTTP 502');
		expect(result.error?.description).toContain('HTML page');
		expect((result.error as any).httpCode).toBe('502');
	});

	it('does not retry when Retry on Server Errors is off', async () => {
		sb.inject({ kind: 'status', status: 503, match: '/chats/' });
		const result = await runNode({ parameters: chatGet({ retryOnServerErrors: false }), credential: credentialFor(sb) });

		expect(apiRequests(sb)).toHaveLength(1);
		expect(result.error?.message).toBe('Zoho SalesIQ error 1001: Unknown authentication error. Contact SalesIQ Team!');
	});

	it('retries a GET after a connection reset', async () => {
		sb.inject({ kind: 'reset', match: '/chats/', times: 1 });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(result.error).toBeUndefined();
		expect(apiRequests(sb)).toHaveLength(2);
	});

	it('gives a clear error when nothing listens at the API URL', async () => {
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb, { apiUrl: 'http://127.0.0.1:9' }) });

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Could not connect to SalesIQ');
		expect(result.error?.description).toContain('Custom API URL');
		expect(apiRequests(sb)).toHaveLength(0);
	});

	it('gives a clear timeout error after the Timeout option', async () => {
		sb.inject({ kind: 'hang', match: '/chats/' });
		const started = Date.now();
		const result = await runNode({ parameters: chatGet({ timeout: 400 }), credential: credentialFor(sb) });

		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('SalesIQ did not answer within 400 ms');
		expect(result.error?.description).toContain('Timeout option');
		expect(apiRequests(sb)).toHaveLength(1);
	});

	it.each([
		['malformed', 'The response was not valid JSON.'],
		['empty', 'The response body was empty.'],
	] as const)('gives a clear error for a %s body, never an empty item', async (kind, description) => {
		sb.inject({ kind, match: '/chats/' });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(result.error?.message).toBe('SalesIQ sent a response the node cannot read');
		expect(result.error?.description).toContain(description);
		expect(result.items).toEqual([]);
	});

	it('gives a clear error for an HTML page sent with HTTP 200', async () => {
		sb.inject({ kind: 'html', as200: true, match: '/chats/' });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(result.error?.message).toBe('SalesIQ sent a response the node cannot read');
		expect(result.error?.description).toContain('HTML page');
	});

	it('a server error in the middle of paging is retried, and the list stays complete', async () => {
		sb.inject({ kind: 'status', status: 500, match: '/chats', everyNth: 2, times: 1 });
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		expect(result.json.map((c) => c.chat_id)).toEqual(sb.dataset.chats.map((c) => c.chat_id));
	});
});
