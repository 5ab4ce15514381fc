import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Push Notification > Clear Badge', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it('POSTs email, badgecount=0 and bundleids only', async () => {
		const result = await runNode({
			parameters: { resource: 'pushNotification', operation: 'clearBadge', email: 'app.user@example.com', bundleIds: 'com.zylker.app' },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const [request, ...rest] = apiRequests(sb);
		expect(rest).toEqual([]);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/api/v1/${sb.screenName}/pushnotification`);
		expect(bearerOf(request)).toBe(sb.accessToken);
		expect(request.query).toEqual({ email: 'app.user@example.com', badgecount: '0', bundleids: 'com.zylker.app' });
		expect(sb.sentNotifications().at(-1)).toMatchObject({ mode: 'clear', badgecount: 0, bundleids: ['com.zylker.app'] });
		expect(result.json).toEqual([
			{ success: true, result: 'success', email: 'app.user@example.com', bundleIds: ['com.zylker.app'], badgeCount: 0 },
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('refuses empty bundle ids before any request', async () => {
		const result = await runNode({
			parameters: { resource: 'pushNotification', operation: 'clearBadge', email: 'app.user@example.com', bundleIds: '={{ "" }}' },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe('Bundle IDs must not be empty');
		expect(sb.requests()).toHaveLength(0);
	});
});
