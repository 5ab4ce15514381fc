import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Visitor > Get Many', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ visitors: 250 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it('Return All follows startkey until the last page', async () => {
		const all = sb.dataset.visitorsInView('-1')!;
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		const path = `/api/v1/${sb.screenName}/visitorsview/-1/visitors`;
		expect(requests.map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', path, {}],
			['GET', path, { startkey: `${all[100].id}-101` }],
			['GET', path, { startkey: `${all[200].id}-201` }],
		]);
		expect(requests.every((r) => bearerOf(r) === sb.accessToken)).toBe(true);
		expect(result.json).toEqual(all);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('stops as soon as Limit is met', async () => {
		const all = sb.dataset.visitorsInView('-1')!;
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: false, limit: 120 },
			credential: credentialFor(sb),
		});

		expect(apiRequests(sb)).toHaveLength(2);
		expect(result.json).toEqual(all.slice(0, 120));

		sb.clearRequests();
		const one = await runNode({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: false, limit: 100 },
			credential: credentialFor(sb),
		});
		expect(apiRequests(sb)).toHaveLength(1);
		expect(one.json).toHaveLength(100);
	});

	it('lists returning visitors (view -2) and takes a view id by expression', async () => {
		const returning = sb.dataset.visitorsInView('-2')!;
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '={{ $json.view }}', returnAll: true },
			credential: credentialFor(sb),
			input: [{ view: '-2' }],
		});

		expect(apiRequests(sb)[0].path).toBe(`/api/v1/${sb.screenName}/visitorsview/-2/visitors`);
		expect(result.json).toEqual(returning);
	});

	it('refuses a view id that is not a number, before any request', async () => {
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '={{ "1/../../x" }}', returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('View "1/../../x" is not a valid view ID');
		expect(sb.requests()).toHaveLength(0);
	});
});
