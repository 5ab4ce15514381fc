import { credentialFor, runNode } from '../../harness';
import type { AttachmentMessage, Sandbox, TranscriptMessage } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Transcript > Get', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 300 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	const findChat = (test: (messages: number, attachments: number) => boolean) => {
		const chat = sb.dataset.chats.find((c) => {
			const record = sb.dataset.chatRecord(c.chat_id)!;
			return !record.missed && test(record.messageCount, record.attachmentCount);
		});
		if (!chat) throw new Error('no such chat in the dataset');
		return chat.chat_id;
	};
	const messagesOf = (chatId: string) => sb.dataset.transcriptOf(chatId)!.slice(1) as Array<TranscriptMessage | AttachmentMessage>;

	it('gives one item per message, in order, with times, sender and text', async () => {
		const chatId = findChat((m, a) => m < 50 && a === 0);
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId, returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const requests = apiRequests(sb);
		expect(requests[0].method).toBe('GET');
		expect(requests[0].path).toBe(`/api/v1/${sb.screenName}/chats/${chatId}/transcript`);
		expect(requests[0].query).toEqual({ limit: '100' });
		expect(bearerOf(requests[0])).toBe(sb.accessToken);
		const messages = messagesOf(chatId);
		expect(result.json).toEqual(
			messages.map((m) => ({
				chatId,
				time: Number(m.time),
				timeIso: new Date(Number(m.time)).toISOString(),
				senderId: m.sender,
				senderName: m.dname,
				type: 'text',
				text: m.msg,
			})),
		);
		expect(result.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('pairs each message with the input item of its chat, with many input items', async () => {
		const chatIds = sb.dataset.chats
			.filter((c) => {
				const record = sb.dataset.chatRecord(c.chat_id)!;
				return !record.missed && record.messageCount > 0 && record.messageCount < 50;
			})
			.slice(0, 4)
			.map((c) => c.chat_id);
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId: '={{ $json.chatId }}', returnAll: true },
			credential: credentialFor(sb),
			input: chatIds.map((chatId) => ({ chatId })),
		});

		expect(result.error).toBeUndefined();
		const expected = chatIds.flatMap((chatId, item) => messagesOf(chatId).map((m) => ({ chatId, time: Number(m.time), item })));
		expect(result.items.map((i) => ({ chatId: i.json.chatId, time: i.json.time, item: (i.pairedItem as { item: number }).item }))).toEqual(expected);
	});

	it('pages a long transcript completely, moving fromtime forward, without losing or repeating a message', async () => {
		const chatId = findChat((m) => m >= 210);
		const messages = messagesOf(chatId);
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId, returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const textOf = (m: TranscriptMessage | AttachmentMessage) => (typeof m.msg === 'string' ? m.msg : m.msg.fName);
		expect(result.json.map((m) => [m.time, m.senderId, m.text])).toEqual(messages.map((m) => [Number(m.time), m.sender, textOf(m)]));
		const requests = apiRequests(sb);
		expect(requests[0].query).toEqual({ limit: '100' });
		// Replay each request on the transcript: every page but the last was full, so none was wasted.
		const times = sb.dataset.transcript(chatId)!.times;
		const sizes = requests.map((r) => Math.min(100, times.filter((t) => t >= Number(r.query.fromtime ?? 0)).length));
		expect(sizes.slice(0, -1).every((n) => n === 100)).toBe(true);
		expect(sizes[sizes.length - 1]).toBeLessThan(100);
		const froms = requests.slice(1).map((r) => Number(r.query.fromtime));
		expect(froms.every((f, i) => i === 0 || f >= froms[i - 1])).toBe(true);
	});

	it('with Limit 10 asks for the header plus 10 messages in one request', async () => {
		const chatId = findChat((m) => m >= 20);
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId, returnAll: false, limit: 10 },
			credential: credentialFor(sb),
		});

		expect(apiRequests(sb).map((r) => r.query)).toEqual([{ limit: '11' }]);
		expect(result.json.map((m) => m.text)).toEqual(messagesOf(chatId).slice(0, 10).map((m) => m.msg));
	});

	it('gives attachment entries their metadata', async () => {
		const chatId = findChat((_m, a) => a > 0);
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId, returnAll: true },
			credential: credentialFor(sb),
		});

		const expected = messagesOf(chatId).filter((m): m is AttachmentMessage => 'mode' in m && m.mode === 'att');
		const items = result.json.filter((m) => m.type === 'attachment');
		expect(items).toHaveLength(expected.length);
		expect(items[0]).toMatchObject({
			chatId,
			text: expected[0].msg.fName,
			attachment: {
				fileId: expected[0].msg.fileId,
				name: expected[0].msg.fName,
				mimeType: expected[0].msg.content,
				size: Number(expected[0].msg.size),
				url: expected[0].msg.url,
			},
		});
	});

	it('Text format gives one item with the header, a message count and readable lines', async () => {
		const chatId = findChat((m, a) => m >= 5 && a === 0);
		const [header] = sb.dataset.transcriptOf(chatId) as [{ visitor_name: string; question: string; chatinitiated_time: string }];
		const messages = messagesOf(chatId);
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId, returnAll: true, options: { format: 'text' } },
			credential: credentialFor(sb),
		});

		expect(result.json).toHaveLength(1);
		const item = result.json[0];
		expect(item).toMatchObject({
			chatId,
			visitorName: header.visitor_name,
			question: header.question,
			startTime: Number(header.chatinitiated_time),
			startTimeIso: new Date(Number(header.chatinitiated_time)).toISOString(),
			messageCount: messages.length,
		});
		const lines = (item.conversation as string).split('\n');
		expect(lines).toHaveLength(messages.length);
		messages.forEach((m, i) => {
			expect(lines[i]).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] /);
			expect(lines[i].endsWith(`] ${m.dname}: ${m.msg as string}`)).toBe(true);
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('explains that a missed chat has no transcript (error 2032)', async () => {
		const missed = sb.dataset.chats.find((c) => c.missed_time)!;
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId: missed.chat_id, returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Zoho SalesIQ error 2032: No Chat Transcript Available : Missed Chat');
		expect(result.error?.description).toContain('A missed chat has no transcript');
	});

	it('says the chat does not exist in this portal (error 2031)', async () => {
		const result = await runNode({
			parameters: { resource: 'transcript', operation: 'get', chatId: '77', returnAll: true },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe('Zoho SalesIQ error 2031: Invalid chat_id');
		expect(result.error?.description).toContain('No chat with this ID exists in the portal');
	});
});
