import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Attachment > Get Many', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 300 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it('lists every attachment of the chat from its transcript', async () => {
		const record = sb.dataset.chats.map((c) => sb.dataset.chatRecord(c.chat_id)!).find((r) => r.attachmentCount >= 2)!;
		const chatId = record.chat.chat_id;
		const expected = sb.dataset.transcript(chatId)!.attachments;

		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'getAll', chatId },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		expect(requests.length).toBeGreaterThanOrEqual(1);
		expect(requests.every((r) => r.method === 'GET' && r.path === `/api/v1/${sb.screenName}/chats/${chatId}/transcript`)).toBe(true);
		expect(requests.every((r) => bearerOf(r) === sb.accessToken)).toBe(true);
		expect(result.json.map((a) => [a.chatId, a.fileId, a.name, a.mimeType, a.size, a.url])).toEqual(
			expected.map((a) => [chatId, a.fileId, a.fName, a.content, a.size, a.url]),
		);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('returns no items for a chat without attachments', async () => {
		const record = sb.dataset.chats.map((c) => sb.dataset.chatRecord(c.chat_id)!).find((r) => !r.missed && r.attachmentCount === 0)!;
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'getAll', chatId: record.chat.chat_id },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
	});

	it('explains an unknown chat (error 2031)', async () => {
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'getAll', chatId: '5' },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe('Zoho SalesIQ error 2031: Invalid chat_id');
	});
});
