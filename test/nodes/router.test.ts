import { credentialFor, runNode } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { apiRequests } from './helpers';

describe('router: items in parallel for reads, one at a time for writes', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await startSandbox({ port: 0, seed: 'router', chats: 60, visitors: 20, latencyMs: 15 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	it('reads overlap, and the output keeps the input order and pairing', async () => {
		const chats = sb.dataset.chats.slice(0, 30);
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' },
			credential: credentialFor(sb),
			input: chats.map((c) => ({ id: c.chat_id })),
		});

		expect(result.error).toBeUndefined();
		expect(result.json.map((c) => c.chat_id)).toEqual(chats.map((c) => c.chat_id));
		expect(result.items.map((i) => i.pairedItem)).toEqual(chats.map((_, item) => ({ item })));
		// With 15 ms per request, 30 items one after another would take 450 ms of server time alone;
		// overlapping requests arrive while earlier ones are still being answered.
		const times = apiRequests(sb).map((r) => r.time);
		const overlapping = times.filter((t, i) => i > 1 && t - times[i - 1] < 10).length;
		expect(overlapping).toBeGreaterThan(10);
	});

	it('writes go one at a time and stop at the first failure', async () => {
		const emails = sb.dataset.visitors.slice(0, 4).map((v) => String(v.email));
		emails.splice(1, 0, 'nobody@example.com');
		const result = await runNode({
			parameters: {
				resource: 'visitor',
				operation: 'update',
				email: '={{ $json.email }}',
				customerInfo: { field: [{ key: 'plan', value: 'gold' }] },
			},
			credential: credentialFor(sb),
			input: emails.map((email) => ({ email })),
		});

		expect(result.error?.message).toContain('2311');
		// The unknown visitor is item 1: item 0 was updated, nothing after item 1 was sent.
		expect(apiRequests(sb).map((r) => decodeURIComponent(r.path.split('/').pop()!))).toEqual(emails.slice(0, 2));
	});

	it('the first item runs alone, so an expired token is refreshed once before the others start', async () => {
		sb.expireAccessTokens();
		const chats = sb.dataset.chats.slice(0, 12);
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' },
			credential: credentialFor(sb),
			input: chats.map((c) => ({ id: c.chat_id })),
		});

		expect(result.error).toBeUndefined();
		expect(sb.tokenRequests()).toHaveLength(1);
		expect(apiRequests(sb)).toHaveLength(chats.length + 1);
	});
});
