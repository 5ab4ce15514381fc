import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, smallSandbox } from '../helpers';

describe('throttling (HTTP 429 and code 1023)', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	const chatGet = () => ({ resource: 'chat', operation: 'get', chatId: sb.dataset.chats[0].chat_id });

	it('waits Retry-After seconds and tries again', async () => {
		sb.inject({ kind: 'throttle', retryAfter: 1, match: '/chats/', times: 2 });
		const started = Date.now();
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });
		const elapsed = Date.now() - started;

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([sb.dataset.chats[0]]);
		const requests = apiRequests(sb);
		expect(requests).toHaveLength(3);
		expect(requests[1].time - requests[0].time).toBeGreaterThanOrEqual(950);
		expect(requests[2].time - requests[1].time).toBeGreaterThanOrEqual(950);
		expect(elapsed).toBeGreaterThanOrEqual(1900);
	});

	it('backs off from 1 s when there is no Retry-After', async () => {
		sb.inject({ kind: 'status', status: 429, code: 1023, match: '/chats/', times: 1 });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		expect(requests).toHaveLength(2);
		expect(requests[1].time - requests[0].time).toBeGreaterThanOrEqual(950);
	});

	it('treats code 1023 in a 200 body as throttling too', async () => {
		sb.inject({ kind: 'code1023', retryAfter: 0, match: '/chats/', times: 1 });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(result.error).toBeUndefined();
		expect(apiRequests(sb)).toHaveLength(2);
	});

	it('gives up after 3 retries with a clear error', async () => {
		sb.inject({ kind: 'throttle', retryAfter: 0, match: '/chats/' });
		const result = await runNode({ parameters: chatGet(), credential: credentialFor(sb) });

		expect(apiRequests(sb)).toHaveLength(4);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Zoho SalesIQ error 1023: Too many requests, please try after sometime');
		expect(result.error?.description).toContain('The node waited and retried 3 times.');
		expect((result.error as any).httpCode).toBe('429');
	});

	it('retries a throttled push notification, which SalesIQ did not accept', async () => {
		sb.inject({ kind: 'throttle', retryAfter: 0, match: '/pushnotification', times: 1 });
		const before = sb.sentNotifications().length;
		const result = await runNode({
			parameters: { resource: 'pushNotification', operation: 'clearBadge', email: 'a@example.com', bundleIds: 'com.a' },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		expect(apiRequests(sb)).toHaveLength(2);
		expect(sb.sentNotifications().length - before).toBe(1);
	});
});
