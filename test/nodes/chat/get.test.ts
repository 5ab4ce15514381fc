import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Chat > Get', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	it('sends GET /api/v1/{screen}/chats/{chatId} with the bearer token and returns the chat', async () => {
		const chat = sb.dataset.chats[3];
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: chat.chat_id },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		expect(requests).toHaveLength(1);
		expect(requests[0].method).toBe('GET');
		expect(requests[0].path).toBe(`/api/v1/${sb.screenName}/chats/${chat.chat_id}`);
		expect(requests[0].query).toEqual({});
		expect(bearerOf(requests[0])).toBe(sb.accessToken);
		expect(result.json).toEqual([chat]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('reads the chat id per item and pairs every output with its input', async () => {
		const [a, b] = [sb.dataset.chats[0], sb.dataset.chats[7]];
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' },
			credential: credentialFor(sb),
			input: [{ id: a.chat_id }, { id: b.chat_id }],
		});

		expect(apiRequests(sb).map((r) => r.path)).toEqual([
			`/api/v1/${sb.screenName}/chats/${a.chat_id}`,
			`/api/v1/${sb.screenName}/chats/${b.chat_id}`,
		]);
		expect(result.json.map((c) => c.chat_id)).toEqual([a.chat_id, b.chat_id]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('maps error 2021 to a NodeApiError that says the chat is not in this portal', async () => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: '424242' },
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Zoho SalesIQ error 2021: Invalid chat_id');
		expect(result.error?.description).toContain(`No chat with this ID exists in the portal "${sb.screenName}"`);
		expect((result.error as any).httpCode).toBe('404');
	});

	it('with Continue On Fail gives an error item for the bad item and keeps the others', async () => {
		const good = sb.dataset.chats[1];
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' },
			credential: credentialFor(sb),
			input: [{ id: '424242' }, { id: good.chat_id }, { id: '../admin' }],
			continueOnFail: true,
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.error).toBe('Zoho SalesIQ error 2021: Invalid chat_id');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[1].json.chat_id).toBe(good.chat_id);
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json.error).toContain('Chat ID "../admin" is not a valid ID');
		expect(result.items[2].pairedItem).toEqual({ item: 2 });
		// The invalid id never reached the API.
		expect(apiRequests(sb)).toHaveLength(2);
	});

	it.each([['../../portals'], ['282?x=1'], ['a/b'], ['={{ "" }}']])('refuses chat id %p before sending anything', async (chatId) => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId },
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/^Chat ID /);
		expect(sb.requests()).toHaveLength(0);
	});

	it('uses the Portal option instead of the credential screen name, and explains error 1005', async () => {
		const chat = sb.dataset.chats[0];
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: chat.chat_id, options: { screenName: 'otherportal' } },
			credential: credentialFor(sb),
		});

		expect(apiRequests(sb)[0].path).toBe(`/api/v1/otherportal/chats/${chat.chat_id}`);
		expect(result.error?.message).toBe('Zoho SalesIQ error 1005: Invalid portal or wrong screen name.');
		expect(result.error?.description).toContain('Check the screen name ("otherportal")');
	});

	it('refuses a Portal value that would change the path', async () => {
		const result = await runNode({
			parameters: { resource: 'chat', operation: 'get', chatId: '282', options: { screenName: 'zylker/../x' } },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe('The screen name "zylker/../x" is not valid');
		expect(sb.requests()).toHaveLength(0);
	});
});
