import { credentialFor, runNode } from '../../harness';
import { conversationIdForChat } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { grant } from '../../sandbox/helpers';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Visitor > Update, identified by conversation', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	const answered = () => sb.dataset.chats.filter((c) => !c.missed_time);

	it('sends PUT /api/v2/{screen}/conversations/{id} with {"customer_info":{...}}', async () => {
		const chat = answered()[2];
		const id = conversationIdForChat(sb.dataset, chat.chat_id)!;
		const before = { ...(chat.customer_info ?? {}) };
		const result = await runNode({
			parameters: {
				resource: 'visitor',
				operation: 'update',
				identifyBy: 'conversationId',
				conversationId: id,
				customerInfo: { field: [{ key: 'Model', value: 'Class X9' }] },
				options: { customerInfoJson: '{"seats": 12}' },
			},
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const [request] = apiRequests(sb);
		expect(apiRequests(sb)).toHaveLength(1);
		expect(request.method).toBe('PUT');
		expect(request.path).toBe(`/api/v2/${sb.screenName}/conversations/${id}`);
		expect(request.query).toEqual({});
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(JSON.parse(request.body)).toEqual({ customer_info: { Model: 'Class X9', seats: '12' } });
		expect(bearerOf(request)).toBe(sb.accessToken);
		expect(result.json).toEqual([{ conversationId: id, customerInfo: { Model: 'Class X9', seats: '12' } }]);
		expect(sb.dataset.chatById(chat.chat_id)!.customer_info).toEqual({ ...before, Model: 'Class X9', seats: '12' });
	});

	it('keeps Email as the default, so existing workflows still update by email through v1', async () => {
		const visitor = sb.dataset.visitors[0];
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'update', email: visitor.email, customerInfo: { field: [{ key: 'plan', value: 'gold' }] } },
			credential: credentialFor(sb),
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests(sb).map((r) => `${r.method} ${decodeURIComponent(r.path)}`)).toEqual([`PUT /api/v1/${sb.screenName}/visitorsbyemail/${visitor.email}`]);
	});

	it('refuses a v1 chat id or a malformed id in Conversation ID before any request', async () => {
		for (const conversationId of [answered()[0].chat_id, '={{ "" }}', 'abc/123']) {
			const result = await runNode({
				parameters: { resource: 'visitor', operation: 'update', identifyBy: 'conversationId', conversationId, customerInfo: { field: [{ key: 'a', value: 'b' }] } },
				credential: credentialFor(sb),
			});
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toContain('Conversation ID');
		}
		expect(apiRequests(sb)).toEqual([]);
	});

	it('a credential without SalesIQ.conversations.UPDATE gets error 1009 naming that scope', async () => {
		const limited = await grant(sb, 'SalesIQ.conversations.READ');
		const id = conversationIdForChat(sb.dataset, answered()[0].chat_id)!;
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'update', identifyBy: 'conversationId', conversationId: id, customerInfo: { field: [{ key: 'a', value: 'b' }] } },
			credential: credentialFor({ ...sb.info(), accessToken: limited.access_token, refreshToken: limited.refresh_token }),
		});
		expect(result.error?.message).toBe('Zoho SalesIQ error 1009: Invalid OAuthScope.');
		expect(result.error?.description).toContain('SalesIQ.conversations.UPDATE');
	});

	it('an unknown conversation is Zoho error 1019', async () => {
		const result = await runNode({
			parameters: { resource: 'visitor', operation: 'update', identifyBy: 'conversationId', conversationId: '1900000003310399', customerInfo: { field: [{ key: 'a', value: 'b' }] } },
			credential: credentialFor(sb),
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toContain('1019');
	});
});
