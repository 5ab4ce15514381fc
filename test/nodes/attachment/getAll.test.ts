import { credentialFor, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import type { AttachmentMessage } from '../../sandbox/data';
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

	it('gives every field of each attachment: time, ISO time, sender, size and image dimensions', async () => {
		const withImage = sb.dataset.chats
			.map((c) => c.chat_id)
			.find((id) => (sb.dataset.transcriptOf(id) ?? []).some((e) => 'mode' in e && e.mode === 'att' && e.msg.dim !== undefined))!;
		const entries = (sb.dataset.transcriptOf(withImage) ?? []).filter((e): e is AttachmentMessage => 'mode' in e && e.mode === 'att');

		const result = await runNode({ parameters: { resource: 'attachment', operation: 'getAll', chatId: withImage }, credential: credentialFor(sb) });

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual(
			entries.map((e) => ({
				chatId: withImage,
				fileId: e.msg.fileId,
				name: e.msg.fName,
				mimeType: e.msg.content,
				size: Number(e.msg.size),
				url: e.msg.url,
				...(e.msg.dim ? { width: Number(e.msg.dim.width), height: Number(e.msg.dim.height) } : {}),
				time: Number(e.time),
				timeIso: new Date(Number(e.time)).toISOString(),
				senderId: e.sender,
				senderName: e.dname,
			})),
		);
		expect(result.json.some((a) => typeof a.width === 'number' && typeof a.height === 'number')).toBe(true);
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
