import { credentialFor, runNode } from '../../harness';
import type { Sandbox, V1Chat } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

const time = (chat: V1Chat) => Number(chat.chatinitiated_time);

describe('Chat > Get Many', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 400 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	it('with Limit 137 returns the 137 newest chats in two requests of 100 and 37 + the chats at the boundary', async () => {
		const chats = sb.dataset.chats;
		const boundary = time(chats[99]);
		const atBoundary = chats.slice(0, 100).filter((c) => time(c) === boundary).length;
		// The dataset puts a shared millisecond across the page edge: chat 101 started with chat 100.
		expect(time(chats[100])).toBe(boundary);

		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: false, limit: 137 },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		expect(requests.map((r) => [r.method, r.path, r.query])).toEqual([
			['GET', `/api/v1/${sb.screenName}/chats`, { limit: '100' }],
			['GET', `/api/v1/${sb.screenName}/chats`, { limit: String(37 + atBoundary), totime: String(boundary) }],
		]);
		expect(requests.every((r) => bearerOf(r) === sb.accessToken)).toBe(true);
		expect(result.json.map((c) => c.chat_id)).toEqual(chats.slice(0, 137).map((c) => c.chat_id));
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('with a limit under 100 sends one request for exactly that many', async () => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: false, limit: 20 },
			credential: credentialFor(sb),
		});

		expect(apiRequests(sb).map((r) => r.query)).toEqual([{ limit: '20' }]);
		expect(result.json).toEqual(sb.dataset.chats.slice(0, 20));
	});

	it('with Limit 100 stops after one full page', async () => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: false, limit: 100 },
			credential: credentialFor(sb),
		});

		expect(apiRequests(sb)).toHaveLength(1);
		expect(result.json).toHaveLength(100);
	});

	it('sends the time window and returns exactly the chats inside it', async () => {
		const chats = sb.dataset.chats;
		const to = time(chats[20]);
		const from = time(chats[260]);
		const expected = chats.filter((c) => time(c) >= from && time(c) <= to).map((c) => c.chat_id);

		const result = await runNode({
			parameters: {
				resource: 'chat',
				operation: 'getAll',
				returnAll: true,
				filters: { fromTime: new Date(from).toISOString(), toTime: new Date(to).toISOString() },
			},
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		expect(requests[0].query).toEqual({ limit: '100', fromtime: String(from), totime: String(to) });
		expect(requests.every((r) => r.query.fromtime === String(from) && r.query.limit === '100')).toBe(true);
		expect(result.json.map((c) => c.chat_id)).toEqual(expected);
	});

	it('reads a date-time without a zone in the workflow time zone', async () => {
		await runNode({
			parameters: {
				resource: 'chat',
				operation: 'getAll',
				limit: 1,
				filters: { fromTime: '2024-01-15T00:00:00', toTime: '2024-07-15T12:30:00' },
			},
			credential: credentialFor(sb),
		});

		// The harness workflow uses n8n's default zone, America/New_York (EST in January, EDT in July).
		expect(apiRequests(sb)[0].query).toMatchObject({
			fromtime: String(Date.parse('2024-01-15T05:00:00Z')),
			totime: String(Date.parse('2024-07-15T16:30:00Z')),
		});
	});

	it('refuses From Time after To Time without sending a request', async () => {
		const result = await runNode({
			parameters: {
				resource: 'chat',
				operation: 'getAll',
				filters: { fromTime: '2024-02-01T00:00:00Z', toTime: '2024-01-01T00:00:00Z' },
			},
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toBe('From Time must not be after To Time');
		expect(sb.requests()).toHaveLength(0);
	});

	it.each([['={{ 0 }}'], ['={{ -5 }}'], ['={{ 2.5 }}']])('refuses Limit %s without sending a request', async (limit) => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: false, limit },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toMatch(/^Limit must be a whole number of 1 or more/);
		expect(sb.requests()).toHaveLength(0);
	});

	it('refuses a date that cannot be read', async () => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', filters: { fromTime: 'yesterday-ish' } },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe('From Time "yesterday-ish" is not a valid date and time');
		expect(sb.requests()).toHaveLength(0);
	});

	it('fails the whole list when a page in the middle is broken, and gives no partial result', async () => {
		sb.inject({ kind: 'malformed', match: '/chats', everyNth: 2 });

		const failed = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true },
			credential: credentialFor(sb),
		});
		expect(failed.error?.message).toBe('SalesIQ sent a response the node cannot read');
		expect(failed.items).toEqual([]);
		expect(apiRequests(sb)).toHaveLength(2);

		sb.clearRequests();
		const continued = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true },
			credential: credentialFor(sb),
			continueOnFail: true,
		});
		expect(continued.items).toHaveLength(1);
		expect(continued.items[0].json.error).toBe('SalesIQ sent a response the node cannot read');
		expect(continued.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('Return All returns every chat once and stops at the first page shorter than asked for', async () => {
		const chats = sb.dataset.chats;
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true },
			credential: credentialFor(sb),
		});
		const ids = result.json.map((c) => c.chat_id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toEqual(chats.map((c) => c.chat_id));
		// Replay each request on the dataset: every page but the last was full, so none was wasted.
		const sizes = apiRequests(sb).map((r) => {
			const [start, end] = sb.dataset.chatRange(undefined, r.query.totime === undefined ? undefined : Number(r.query.totime));
			return Math.min(Number(r.query.limit), end - start);
		});
		expect(sizes.slice(0, -1).every((n) => n === 100)).toBe(true);
		expect(sizes[sizes.length - 1]).toBeLessThan(100);
	});
});

describe('Chat > Get Many with 10,000 chats', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 10_000, visitors: 10 })));
	afterAll(async () => await sb.stop());

	it('Return All yields every chat_id exactly once, including chats that share a millisecond', async () => {
		const chats = sb.dataset.chats;
		const byTime = new Map<string, number>();
		for (const c of chats) byTime.set(c.chatinitiated_time, (byTime.get(c.chatinitiated_time) ?? 0) + 1);
		const shared = [...byTime.values()].filter((n) => n > 1).length;
		expect(shared).toBeGreaterThan(100);

		const result = await runNode({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const ids = result.json.map((c) => c.chat_id as string);
		expect(ids).toHaveLength(10_000);
		expect(new Set(ids).size).toBe(10_000);
		expect(ids).toEqual(chats.map((c) => c.chat_id));
		const requests = apiRequests(sb);
		expect(requests.every((r) => r.query.limit === '100')).toBe(true);
		// Each page brings 100 minus the few chats repeated from the edge millisecond (at most 4); the last one is short.
		expect(requests.length).toBeLessThanOrEqual(Math.ceil(10_000 / 96));
	});
});
