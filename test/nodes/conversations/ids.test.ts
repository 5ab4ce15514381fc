import type { IDataObject } from 'n8n-workflow';

import { ZohoSalesIq } from '../../../nodes/ZohoSalesIq/ZohoSalesIq.node';
import { credentialFor, runNode } from '../../harness';
import { conversationIdForChat } from '../../sandbox';
import type { AttachmentMessage, LoggedRequest, Sandbox, TranscriptMessage, V1Chat } from '../../sandbox';
import { grant } from '../../sandbox/helpers';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

/**
 * Every chat-scoped operation takes either kind of id: a v1 chat id goes to the v1 API, a
 * conversation id (12 or more digits) to the v2 API, and both give the same items.
 */
describe('Chat ID of either kind', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 1000, seed: 7 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	const conversationOf = (chatId: string) => conversationIdForChat(sb.dataset, chatId) as string;
	const messagesOf = (chatId: string) => sb.dataset.transcriptOf(chatId)!.slice(1) as Array<TranscriptMessage | AttachmentMessage>;
	const chatWhere = (test: (messages: Array<TranscriptMessage | AttachmentMessage>, chat: V1Chat) => boolean): string => {
		const chat = sb.dataset.chats.find((c) => !sb.dataset.chatRecord(c.chat_id)!.missed && test(messagesOf(c.chat_id), c));
		if (!chat) throw new Error('no such chat in the dataset');
		return chat.chat_id;
	};
	const generations = (requests: LoggedRequest[]) => [...new Set(requests.map((r) => r.path.split('/')[2]))];
	const operatorIds = () => new Map(sb.dataset.operators.map((op) => [op.wms_id, op.id]));
	const run = (parameters: Record<string, unknown>, input?: IDataObject[]) =>
		runNode({ parameters: parameters as never, credential: credentialFor(sb), input });

	/** An item without the fields that name the chat or the sender the way each API generation does. */
	const comparable = ({ chatId: _chatId, senderId: _senderId, url: _url, ...rest }: Record<string, unknown>) => {
		const attachment = rest.attachment as Record<string, unknown> | undefined;
		if (!attachment) return rest;
		const { url: _attachmentUrl, ...file } = attachment;
		return { ...rest, attachment: file };
	};

	describe('Chat > Get', () => {
		it('sends a chat id to v1 and a conversation id to v2; the v2 item keeps the v1 keys and adds both ids', async () => {
			const chatId = chatWhere((_m, c) => Boolean(c.visitor_email && c.visitor_phoneno && c.customer_info));
			const id = conversationOf(chatId);
			const byChat = await run({ resource: 'chat', operation: 'get', chatId });
			expect(apiRequests(sb).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/${sb.screenName}/chats/${chatId}`]);
			sb.clearRequests();
			const byConversation = await run({ resource: 'chat', operation: 'get', chatId: id });
			expect(apiRequests(sb).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v2/${sb.screenName}/conversations/${id}`]);
			expect(bearerOf(apiRequests(sb)[0])).toBe(sb.accessToken);

			expect(byChat.error).toBeUndefined();
			expect(byConversation.error).toBeUndefined();
			const v1 = byChat.json[0];
			const v2 = byConversation.json[0];
			const { conversation_id, reference_id, ...mapped } = v2;
			expect(conversation_id).toBe(id);
			expect(reference_id).toBe(chatId);
			expect(mapped).toEqual(Object.fromEntries(Object.keys(mapped).map((key) => [key, v1[key]])));
			// What v2 has no equivalent for, as README lists it.
			expect(Object.keys(v1).filter((key) => !(key in v2)).sort()).toEqual(
				['chat_duration', 'chat_id', 'chat_title', 'embed_name', 'participants', 'supervisor', 'waited_duration'].filter((key) => key in v1).sort(),
			);
			expect(Object.keys(mapped).sort()).toEqual(
				expect.arrayContaining(['question', 'department_id', 'department_name', 'embed_id', 'attender_id', 'attender_name', 'attender_email', 'chatinitiated_time', 'pickup_time', 'end_time', 'visitor_name', 'visitor_email', 'visitor_phoneno', 'visitor_ip', 'country_code', 'customer_info']),
			);
		});

		it('a missed chat keeps missed_time and has no attender either way', async () => {
			const missed = sb.dataset.chats.find((c) => c.missed_time)!;
			const v1 = (await run({ resource: 'chat', operation: 'get', chatId: missed.chat_id })).json[0];
			const v2 = (await run({ resource: 'chat', operation: 'get', chatId: conversationOf(missed.chat_id) })).json[0];
			expect(v2).toMatchObject({ missed_time: missed.missed_time, chatinitiated_time: missed.chatinitiated_time });
			expect(v2.attender_id).toBeUndefined();
			expect(v1.missed_time).toBe(v2.missed_time);
		});
	});

	describe('Transcript > Get', () => {
		it('gives the same message items for both kinds; chatId is the id asked with, operators keep their generation’s id', async () => {
			const chatId = chatWhere((m) => m.length >= 20 && m.length < 90 && m.some((e) => 'mode' in e));
			const id = conversationOf(chatId);
			const v1 = await run({ resource: 'transcript', operation: 'get', chatId, returnAll: true });
			expect(generations(apiRequests(sb))).toEqual(['v1']);
			sb.clearRequests();
			const v2 = await run({ resource: 'transcript', operation: 'get', chatId: id, returnAll: true });
			expect(generations(apiRequests(sb))).toEqual(['v2']);
			expect(apiRequests(sb).every((r) => r.path === `/api/v2/${sb.screenName}/conversations/${id}/messages`)).toBe(true);

			expect(v2.error).toBeUndefined();
			expect(v2.json.map(comparable)).toEqual(v1.json.map(comparable));
			expect(v1.json.every((m) => m.chatId === chatId)).toBe(true);
			expect(v2.json.every((m) => m.chatId === id)).toBe(true);
			const operators = operatorIds();
			v1.json.forEach((m, i) => expect(v2.json[i].senderId).toBe(operators.get(m.senderId as string) ?? m.senderId));
			expect(v2.json.filter((m) => m.type === 'attachment').length).toBeGreaterThan(0);
		});

		it('pages a long v2 transcript backwards with to_time, files past the first page included, losing and repeating nothing', async () => {
			const chatId = chatWhere((m) => {
				const files = m.map((e, i) => ('mode' in e ? i : -1)).filter((i) => i >= 0);
				return m.length >= 150 && files.some((i) => i < m.length - 100);
			});
			const id = conversationOf(chatId);
			const messages = messagesOf(chatId);
			const v2 = await run({ resource: 'transcript', operation: 'get', chatId: id, returnAll: true });
			expect(v2.error).toBeUndefined();

			const requests = apiRequests(sb);
			expect(requests.length).toBeGreaterThanOrEqual(2);
			for (const r of requests) {
				expect(r.query.to_time).toMatch(/^\d+$/);
				expect(r.query.from_time).toBeUndefined();
				expect(Number(r.query.limit)).toBeGreaterThanOrEqual(20);
			}
			const bounds = requests.map((r) => Number(r.query.to_time));
			expect(bounds).toEqual([...bounds].sort((a, b) => b - a));
			expect(v2.json).toHaveLength(messages.length);
			expect(v2.json.map((m) => [m.time, m.text])).toEqual(messages.map((m) => [Number(m.time), typeof m.msg === 'string' ? m.msg : m.msg.fName]));
			const files = v2.json.filter((m) => m.type === 'attachment');
			expect(files.map((m) => (m.attachment as { fileId: string }).fileId)).toEqual(
				messages.filter((m): m is AttachmentMessage => 'mode' in m).map((m) => m.msg.fileId),
			);

			sb.clearRequests();
			const v1 = await run({ resource: 'transcript', operation: 'get', chatId, returnAll: true });
			expect(v2.json.map(comparable)).toEqual(v1.json.map(comparable));
		});

		it('Limit gives the first messages of the chat for both kinds', async () => {
			const chatId = chatWhere((m) => m.length >= 150);
			const v1 = await run({ resource: 'transcript', operation: 'get', chatId, returnAll: false, limit: 10 });
			const v2 = await run({ resource: 'transcript', operation: 'get', chatId: conversationOf(chatId), returnAll: false, limit: 10 });
			expect(v2.json).toHaveLength(10);
			expect(v2.json.map(comparable)).toEqual(v1.json.map(comparable));
			expect(v2.json.map((m) => m.time)).toEqual(messagesOf(chatId).slice(0, 10).map((m) => Number(m.time)));
		});

		it('Text format gives the same conversation for both kinds, with the visitor, question and start time', async () => {
			const chatId = chatWhere((m) => m.length >= 120 && m.some((e) => 'mode' in e));
			const id = conversationOf(chatId);
			const parameters = { resource: 'transcript', operation: 'get', returnAll: true, options: { format: 'text' } };
			const v1 = await run({ ...parameters, chatId });
			sb.clearRequests();
			const v2 = await run({ ...parameters, chatId: id });
			expect(v2.error).toBeUndefined();
			expect(apiRequests(sb).some((r) => r.path === `/api/v2/${sb.screenName}/conversations/${id}`)).toBe(true);
			expect(generations(apiRequests(sb))).toEqual(['v2']);
			const { chatId: v1Id, ...v1Text } = v1.json[0];
			const { chatId: v2Id, ...v2Text } = v2.json[0];
			expect([v1Id, v2Id]).toEqual([chatId, id]);
			expect(v2Text).toEqual(v1Text);
			expect(v2Text.messageCount).toBe(messagesOf(chatId).length);
			expect(v2Text.conversation).toContain('[attachment: ');
		});
	});

	describe('Attachment', () => {
		const chatWithFiles = () => chatWhere((m) => m.filter((e) => 'mode' in e).length >= 2);

		it('Get Many lists the same files for both kinds; the url is the file’s path under each API', async () => {
			const chatId = chatWithFiles();
			const id = conversationOf(chatId);
			const files = sb.dataset.transcript(chatId)!.attachments;
			const v1 = await run({ resource: 'attachment', operation: 'getAll', chatId });
			sb.clearRequests();
			const v2 = await run({ resource: 'attachment', operation: 'getAll', chatId: id });
			expect(generations(apiRequests(sb))).toEqual(['v2']);
			expect(v2.json.map(comparable)).toEqual(v1.json.map(comparable));
			expect(v1.json.map((f) => f.url)).toEqual(files.map((f) => f.url));
			expect(v2.json.map((f) => f.url)).toEqual(files.map((f) => `/attachments/${f.fileId}`));
		});

		it('Download gives the same file for both kinds; v2 fetches /conversations/{id}/attachments/{fileId}', async () => {
			const chatId = chatWithFiles();
			const id = conversationOf(chatId);
			const [file] = sb.dataset.transcript(chatId)!.attachments;
			const v1 = await run({ resource: 'attachment', operation: 'download', chatId, attachmentUrl: file.url });
			sb.clearRequests();
			const v2 = await run({ resource: 'attachment', operation: 'download', chatId: id, attachmentUrl: `/attachments/${file.fileId}` });
			expect(v2.error).toBeUndefined();
			expect(apiRequests(sb).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v2/${sb.screenName}/conversations/${id}/attachments/${file.fileId}`]);
			for (const result of [v1, v2]) {
				const binary = result.items[0].binary!.data;
				expect(Buffer.from(binary.data, 'base64').equals(file.bytes)).toBe(true);
				expect(binary).toMatchObject({ fileName: file.fName, mimeType: file.content });
			}
			const { chatId: _a, url: _b, ...v1Json } = v1.json[0];
			const { chatId: _c, url: _d, ...v2Json } = v2.json[0];
			expect(v2Json).toEqual(v1Json);
		});

		it('Download with a conversation id takes the file id alone, or the v1 path of the same file', async () => {
			const chatId = chatWithFiles();
			const id = conversationOf(chatId);
			const [, file] = sb.dataset.transcript(chatId)!.attachments;
			for (const attachmentUrl of [file.fileId, file.url]) {
				sb.clearRequests();
				const result = await run({ resource: 'attachment', operation: 'download', chatId: id, attachmentUrl });
				expect(result.error).toBeUndefined();
				expect(apiRequests(sb).map((r) => r.path)).toEqual([`/api/v2/${sb.screenName}/conversations/${id}/attachments/${file.fileId}`]);
				expect(Buffer.from(result.items[0].binary!.data.data, 'base64').equals(file.bytes)).toBe(true);
			}
		});
	});

	describe('the field', () => {
		it('takes a plain string, an expression, and a resource locator in List or ID mode, mixing kinds item by item', async () => {
			const [a, b] = sb.dataset.chats.filter((c) => !c.missed_time).map((c) => c.chat_id);
			const expected = [a, b].map((chatId) => sb.dataset.chatById(chatId)!.question);
			const expression = await run({ resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' }, [{ id: a }, { id: conversationOf(b) }]);
			expect(expression.error).toBeUndefined();
			expect(expression.json.map((c) => c.question)).toEqual(expected);
			expect(generations(apiRequests(sb)).sort()).toEqual(['v1', 'v2']);
			for (const chatId of [a, { __rl: true, mode: 'id', value: a }, { __rl: true, mode: 'list', value: a, cachedResultName: 'x' }]) {
				const result = await run({ resource: 'chat', operation: 'get', chatId });
				expect(result.json.map((c) => c.question)).toEqual([expected[0]]);
			}
			const rlcConversation = await run({ resource: 'chat', operation: 'get', chatId: { __rl: true, mode: 'id', value: conversationOf(b) } });
			expect(rlcConversation.json.map((c) => c.question)).toEqual([expected[1]]);
		});

		it('every Chat ID locator holds the id itself: no mode declares an extraction pattern, so the node reads the value directly', () => {
			const locators = new ZohoSalesIq().description.properties.filter((p) => p.name === 'chatId');
			expect(locators.length).toBeGreaterThan(0);
			for (const locator of locators) {
				expect(locator.type).toBe('resourceLocator');
				expect(locator.modes?.map((m) => m.name)).toEqual(['list', 'id']);
				expect(locator.modes?.filter((m) => m.extractValue !== undefined)).toEqual([]);
			}
		});

		it('refuses a malformed id before any request, naming the field', async () => {
			for (const chatId of ['={{ "" }}', '12 34', '../282', { __rl: true, mode: 'id', value: '={{ " " }}' }]) {
				sb.clearRequests();
				const result = await run({ resource: 'transcript', operation: 'get', chatId, returnAll: true });
				expect(result.error?.name).toBe('NodeOperationError');
				expect(result.error?.message).toMatch(/Chat ID/);
				expect(apiRequests(sb)).toEqual([]);
			}
		});

		it('a credential without SalesIQ.conversations.READ gets error 1009 naming that scope', async () => {
			const limited = await grant(sb, 'SalesIQ.chatdetails.READ,SalesIQ.chattranscript.READ');
			const chat = sb.dataset.chats.find((c) => !c.missed_time)!;
			sb.clearRequests();
			const credential = credentialFor({ ...sb.info(), accessToken: limited.access_token, refreshToken: limited.refresh_token });
			const v1 = await runNode({ parameters: { resource: 'transcript', operation: 'get', chatId: chat.chat_id, returnAll: true }, credential });
			expect(v1.error).toBeUndefined();
			const v2 = await runNode({ parameters: { resource: 'transcript', operation: 'get', chatId: conversationOf(chat.chat_id), returnAll: true }, credential });
			expect(v2.error?.message).toBe('Zoho SalesIQ error 1009: Invalid OAuthScope.');
			expect(v2.error?.description).toContain('SalesIQ.conversations.READ');
		});

		it('an unknown conversation id is a Zoho error 1019 from v2', async () => {
			const result = await run({ resource: 'chat', operation: 'get', chatId: '1900000003310399' });
			expect(apiRequests(sb).map((r) => r.path)).toEqual([`/api/v2/${sb.screenName}/conversations/1900000003310399`]);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toContain('1019');
		});
	});
});
