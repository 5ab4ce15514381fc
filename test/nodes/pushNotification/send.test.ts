import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Push Notification > Send', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	const parameters = {
		resource: 'pushNotification',
		operation: 'send',
		email: 'app.user@example.com',
		title: 'Your order shipped',
		message: 'It arrives on Monday.',
		bundleIds: ' com.zylker.app , com.zylker.beta ',
		badgeCount: 2,
	};

	it('POSTs email, title, message, badgecount and bundleids, with addinfo built from the additional fields', async () => {
		const result = await runNode({
			parameters: {
				...parameters,
				additionalFields: { imagePath: 'https://cdn.example.com/box.png', additionalInfo: '{"orderId": "A-17"}' },
			},
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const [request, ...rest] = apiRequests(sb);
		expect(rest).toEqual([]);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/api/v1/${sb.screenName}/pushnotification`);
		expect(bearerOf(request)).toBe(sb.accessToken);
		expect(request.query).toEqual({
			email: 'app.user@example.com',
			title: 'Your order shipped',
			message: 'It arrives on Monday.',
			badgecount: '2',
			bundleids: 'com.zylker.app,com.zylker.beta',
			addinfo: JSON.stringify({ orderId: 'A-17', imgpath: 'https://cdn.example.com/box.png' }),
		});
		expect(sb.sentNotifications().at(-1)).toMatchObject({ mode: 'send', badgecount: 2, bundleids: ['com.zylker.app', 'com.zylker.beta'] });
		expect(result.json).toEqual([
			{
				success: true,
				result: 'success',
				email: 'app.user@example.com',
				title: 'Your order shipped',
				message: 'It arrives on Monday.',
				bundleIds: ['com.zylker.app', 'com.zylker.beta'],
				badgeCount: 2,
				additionalInfo: { orderId: 'A-17', imgpath: 'https://cdn.example.com/box.png' },
			},
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('uses badge count 1 by default and sends no addinfo without additional fields', async () => {
		const { badgeCount: _unused, ...withoutBadge } = parameters;
		await runNode({ parameters: withoutBadge, credential: credentialFor(sb) });

		const query = apiRequests(sb)[0].query;
		expect(query.badgecount).toBe('1');
		expect(query.addinfo).toBeUndefined();
	});

	it.each([
		[{ bundleIds: '={{ " , " }}' }, 'Bundle IDs must not be empty'],
		[{ bundleIds: 'com.app/../x' }, 'Bundle ID "com.app/../x" is not valid'],
		[{ email: 'nobody' }, 'Email "nobody" is not a valid email address'],
		[{ additionalFields: { additionalInfo: '"text"' } }, 'Additional Info (JSON) must be a JSON object, for example {"plan": "premium"}'],
		[{ badgeCount: '={{ -1 }}' }, 'Badge Count must be a whole number of 0 or more'],
	])('refuses %j before any request', async (override, message) => {
		const result = await runNode({ parameters: { ...parameters, ...override }, credential: credentialFor(sb) });

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(message);
		expect(sb.requests()).toHaveLength(0);
	});

	it('never sends a notification twice: a server error on the POST is not retried', async () => {
		sb.inject({ kind: 'status', status: 503, match: '/pushnotification' });
		const result = await runNode({ parameters, credential: credentialFor(sb) });

		expect(apiRequests(sb)).toHaveLength(1);
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Zoho SalesIQ error 1001: Unknown authentication error. Contact SalesIQ Team!');
	});

	it('never sends a notification twice: a dropped connection on the POST is not retried', async () => {
		sb.inject({ kind: 'reset', match: '/pushnotification', times: 1 });
		const result = await runNode({ parameters, credential: credentialFor(sb) });

		expect(apiRequests(sb)).toHaveLength(1);
		expect(result.error?.message).toBe('The connection to SalesIQ was closed unexpectedly');
	});
});
