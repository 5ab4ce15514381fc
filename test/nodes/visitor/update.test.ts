import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Visitor > Update', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it('PUTs the customer info as JSON in the query, with the JSON option merged over the pairs', async () => {
		const visitor = sb.dataset.visitors[5];
		const result = await runNode({
			parameters: {
				resource: 'visitor',
				operation: 'update',
				email: visitor.email,
				customerInfo: { field: [{ key: 'plan', value: 'gold' }, { key: 'source', value: 'crm' }] },
				options: { customerInfoJson: '{"source": "webhook", "score": 42, "vip": true}' },
			},
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const [request, ...rest] = apiRequests(sb);
		expect(rest).toEqual([]);
		expect(request.method).toBe('PUT');
		expect(request.path).toBe(`/api/v1/${sb.screenName}/visitorsbyemail/${visitor.email}`);
		expect(bearerOf(request)).toBe(sb.accessToken);
		const sent = { plan: 'gold', source: 'webhook', score: '42', vip: 'true' };
		expect(JSON.parse(request.query.customerinfo)).toEqual(sent);
		expect(result.json).toEqual([{ email: visitor.email, customerInfo: sent }]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(sb.dataset.visitorByEmail(visitor.email)!.customer_info).toMatchObject(sent);
	});

	it('encodes the email as one path segment', async () => {
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'update', email: 'o+test@example.com', customerInfo: { field: [{ key: 'a', value: 'b' }] } },
			credential: credentialFor(sb),
		});

		const request = apiRequests(sb)[0];
		expect(request.path).toBe(`/api/v1/${sb.screenName}/visitorsbyemail/o%2Btest@example.com`);
		expect(result.error?.message).toBe('Zoho SalesIQ error 2311: No Visitor found');
		expect(result.error?.description).toContain('No visitor with this email exists in the portal');
	});

	it.each([
		[{ email: 'not-an-email' }, 'Email "not-an-email" is not a valid email address'],
		[{ email: 'a@b.com/../x' }, 'Email "a@b.com/../x" is not a valid email address'],
		[{ options: { customerInfoJson: '{"a": ' } }, 'Customer Info (JSON) is not valid JSON'],
		[{ options: { customerInfoJson: '[1, 2]' } }, 'Customer Info (JSON) must be a JSON object, for example {"plan": "premium"}'],
		[{ options: { customerInfoJson: '{"a": {"b": 1}}' } }, 'Customer Info (JSON): the value of "a" must be text, a number or true/false'],
		[{ customerInfo: {} }, 'Customer Info is empty'],
	])('refuses %j before any request', async (override, message) => {
		const result = await runNode({
			parameters: {
				resource: 'visitor',
				operation: 'update',
				email: sb.dataset.visitors[0].email,
				customerInfo: { field: [{ key: 'plan', value: 'x' }] },
				...override,
			},
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe(message);
		expect(sb.requests()).toHaveLength(0);
	});

	it('reads every parameter per item', async () => {
		const [a, b] = sb.dataset.visitors;
		const result = await runNode({
			parameters: {
				resource: 'visitor',
				operation: 'update',
				email: '={{ $json.email }}',
				customerInfo: { field: [{ key: 'crm_id', value: '={{ $json.id }}' }] },
			},
			credential: credentialFor(sb),
			input: [
				{ email: a.email, id: 'c-1' },
				{ email: b.email, id: 'c-2' },
			],
		});

		expect(apiRequests(sb).map((r) => [r.path.split('/').pop(), r.query.customerinfo])).toEqual([
			[a.email, '{"crm_id":"c-1"}'],
			[b.email, '{"crm_id":"c-2"}'],
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
