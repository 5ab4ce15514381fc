import { conversationIdForChat, startSandbox } from './index';
import type { AttachmentMessage, Sandbox, TranscriptEntry, TranscriptMessage, V1Chat } from './index';
import { ANCHOR, api, grant, subscriber, v1 } from './helpers';
import type { Json } from './helpers';

/** Fetches a conversation's messages with only `to_time`, page after page, moving it to the oldest time seen. */
async function allMessagesBackwards(sandbox: Sandbox, id: string, limit: number): Promise<{ messages: Json[]; pages: number }> {
	const seen = new Map<string, Json>();
	let toTime = Number.MAX_SAFE_INTEGER;
	let pages = 0;
	for (;;) {
		const res = await api(sandbox, `/api/v2/${sandbox.screenName}/conversations/${id}/messages?limit=${limit}&to_time=${toTime}`);
		pages++;
		const fresh = (res.body.data as Json[]).filter((m) => !seen.has(m.id));
		if (fresh.length === 0) break;
		for (const m of fresh) seen.set(m.id, m);
		toTime = Math.min(...(res.body.data as Json[]).map((m) => Number(m.time)));
	}
	const messages = [...seen.values()].sort((a, b) => Number(a.time) - Number(b.time) || Number(a.sequence_id) - Number(b.sequence_id));
	return { messages, pages };
}

describe('sandbox v2 conversations', () => {
	let sandbox: Sandbox;
	const path = (rest = '') => `/api/v2/${sandbox.screenName}/conversations${rest}`;
	const idOf = (chat: V1Chat) => conversationIdForChat(sandbox.dataset, chat.chat_id) as string;
	const answered = () => sandbox.dataset.chats.filter((c) => !c.missed_time);
	const messagesOf = (chat: V1Chat) => (sandbox.dataset.transcriptOf(chat.chat_id) as TranscriptEntry[]).slice(1) as Array<TranscriptMessage | AttachmentMessage>;
	/** A chat of 150 messages or more with a file beyond the first 100 messages from either end. */
	const longChatWithFiles = () =>
		answered().find((c) => {
			const entries = messagesOf(c);
			const files = entries.map((e, i) => ('mode' in e ? i : -1)).filter((i) => i >= 0);
			return entries.length >= 150 && files.some((i) => i >= 100 && entries.length - i > 100);
		});

	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 1000, visitors: 200, seed: 7, anchorTime: ANCHOR });
	});
	afterAll(() => sandbox.stop());

	test('each chat has a conversation id of 14 digits; reference_id is its v1 chat_id', async () => {
		const chat = answered()[3];
		const id = idOf(chat);
		expect(id).toMatch(/^\d{14}$/);
		expect(id).not.toBe(chat.chat_id);
		const res = await api(sandbox, path(`/${id}`));
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ url: path(`/${id}`), object: 'conversations', data: expect.any(Object) });
		const data = res.body.data;
		expect(data).toMatchObject({
			id,
			reference_id: chat.chat_id,
			chat_id: expect.stringMatching(/^LD_\d+_\d+$/),
			type: 'chat',
			question: chat.question,
			start_time: chat.chatinitiated_time,
			attended_time: chat.pickup_time,
			end_time: chat.end_time,
			app_id: chat.embed_id,
			department: { id: chat.department_id, name: chat.department_name },
			attender: { id: chat.attender_id, name: chat.attender_name, email: chat.attender_email, is_bot: false },
			visitor: { name: chat.visitor_name, ip: chat.visitor_ip, country_code: chat.country_code },
			chat_status: expect.objectContaining({ label: 'Attended Online' }),
			last_message_info: expect.objectContaining({ sender: expect.any(Object), message: expect.any(Object) }),
		});
		expect(data.customer_info).toEqual(chat.customer_info ?? {});
		if (chat.visitor_email) expect(data.visitor.email).toBe(chat.visitor_email);
	});

	test('a missed conversation has missed_time, no attender, and no messages', async () => {
		const chat = sandbox.dataset.chats.find((c) => c.missed_time) as V1Chat;
		const res = await api(sandbox, path(`/${idOf(chat)}`));
		expect(res.body.data).toMatchObject({ reference_id: chat.chat_id, missed_time: chat.missed_time, status: 'Missed' });
		expect(res.body.data.attender).toBeUndefined();
		expect((await api(sandbox, path(`/${idOf(chat)}/messages`))).body).toEqual({ url: path(`/${idOf(chat)}/messages`), object: 'list', data: [] });
	});

	test('a live chat shows as it is now: waiting, connected with its attender, then ended', async () => {
		const [chat] = sandbox.live.openChats(1, { atTime: ANCHOR + 1000 });
		const get = async () => (await api(sandbox, path(`/${idOf(chat)}`))).body.data;
		expect(await get()).toMatchObject({ reference_id: chat.chat_id, status: 'Waiting', start_time: String(ANCHOR + 1000) });
		sandbox.live.pickUp([chat.chat_id], ANCHOR + 5000);
		const connected = await get();
		expect(connected).toMatchObject({ status: 'Connected', attended_time: String(ANCHOR + 5000), attender: { id: chat.attender_id } });
		expect(connected.end_time).toBeUndefined();
		sandbox.live.endChats([chat.chat_id], { atTime: ANCHOR + 60_000 });
		expect(await get()).toMatchObject({ status: 'Attended Online', end_time: String(ANCHOR + 60_000) });
	});

	test('the trigger delivers the same two ids: entity.id is the conversation id, reference_id the chat id', async () => {
		const sub = await subscriber();
		try {
			const hooks = `/api/v2/${sandbox.screenName}/webhooks`;
			const body = JSON.stringify({ type: 'data', url: sub.url, events: ['conversation.completed'], version: '1' });
			expect((await api(sandbox, hooks, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(200);
			const chat = answered()[5];
			await sandbox.deliverEvent({ event: 'conversation.completed', chatId: chat.chat_id });
			const delivered = JSON.parse(sub.posts()[0].body);
			expect(delivered.entity_id).toBe(idOf(chat));
			expect(delivered.entity).toMatchObject({ id: idOf(chat), reference_id: chat.chat_id });
			const conversation = (await api(sandbox, path(`/${delivered.entity_id}`))).body.data;
			expect(conversation.visitor.id).toBe(delivered.entity.visitor.id);
		} finally {
			await sub.close();
		}
	});

	test('each id kind works only on its own generation: 1019 on v2 for a chat id, 2021 on v1 for a conversation id', async () => {
		const chat = answered()[0];
		for (const bad of [chat.chat_id, '99999999999999', 'abc']) {
			for (const rest of ['', '/messages', '/attachments/A_1']) {
				const res = await api(sandbox, path(`/${bad}${rest}`));
				expect(res.status).toBe(404);
				expect(res.body).toEqual({ error: { code: 1019, message: 'Invalid Resource' } });
			}
		}
		expect((await api(sandbox, v1(sandbox, `/chats/${idOf(chat)}`))).body.error.code).toBe(2021);
	});

	test('messages: default 20, newest first with only to_time, oldest first otherwise; bounds inclusive', async () => {
		const chat = answered().find((c) => messagesOf(c).length >= 30) as V1Chat;
		const entries = messagesOf(chat);
		const id = idOf(chat);
		const first = await api(sandbox, path(`/${id}/messages`));
		expect(first.body).toMatchObject({ url: path(`/${id}/messages`), object: 'list' });
		expect(first.body.data.map((m: Json) => m.time)).toEqual(entries.slice(0, 20).map((e) => e.time));
		const newest = await api(sandbox, path(`/${id}/messages?to_time=${Date.now()}&limit=5`));
		expect(newest.body.data.map((m: Json) => m.time)).toEqual(entries.slice(-5).reverse().map((e) => e.time));
		const t = entries[10].time;
		const before = await api(sandbox, path(`/${id}/messages?to_time=${t}&limit=3`));
		expect(before.body.data[0].time).toBe(t);
		expect(before.body.data.every((m: Json) => Number(m.time) <= Number(t))).toBe(true);
		const range = await api(sandbox, path(`/${id}/messages?from_time=${entries[4].time}&to_time=${entries[8].time}&limit=100`));
		const inRange = entries.filter((e) => Number(e.time) >= Number(entries[4].time) && Number(e.time) <= Number(entries[8].time));
		expect(range.body.data.map((m: Json) => m.time)).toEqual(inRange.reverse().map((e) => e.time));
		expect((await api(sandbox, path(`/${id}/messages?limit=500`))).body.data).toHaveLength(Math.min(100, entries.length));
		for (const query of ['limit=0', 'to_time=soon', 'from_time=-1']) {
			expect((await api(sandbox, path(`/${id}/messages?${query}`))).body.error).toMatchObject({ code: 1011, param: query.split('=')[0] });
		}
	});

	test('a long transcript pages backwards with to_time into exactly the v1 messages, files included', async () => {
		const chat = longChatWithFiles() as V1Chat;
		expect(chat).toBeDefined();
		const entries = messagesOf(chat);
		const { messages, pages } = await allMessagesBackwards(sandbox, idOf(chat), 50);
		expect(pages).toBeGreaterThanOrEqual(4);
		expect(messages).toHaveLength(entries.length);
		const operators = new Map(sandbox.dataset.operators.map((op) => [op.wms_id, op.id]));
		messages.forEach((m, i) => {
			const e = entries[i];
			expect(m).toMatchObject({ id: expect.stringMatching(/^\d{13}_\d{12}$/), time: e.time, sender: { id: operators.get(e.sender) ?? e.sender, name: e.dname } });
			if ('mode' in e) {
				expect(m.type).toBe('file');
				expect(m.message.file).toMatchObject({ id: e.msg.fileId, name: e.msg.fName, content_type: e.msg.content, size: e.msg.size });
			} else {
				expect(m).toMatchObject({ type: 'text', message: { text: e.msg } });
			}
		});
		expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
	});

	test('attachments answer the file bytes; unknown ids answer 1019', async () => {
		const chat = longChatWithFiles() as V1Chat;
		const file = [...sandbox.dataset.attachments.values()].find((a) => a.chatId === chat.chat_id);
		if (!file) throw new Error('no file');
		const res = await fetch(`${sandbox.url}${path(`/${idOf(chat)}/attachments/${file.fileId}`)}`, {
			headers: { authorization: `Bearer ${sandbox.accessToken}` },
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe(file.content);
		expect(res.headers.get('content-disposition')).toContain(encodeURIComponent(file.fName));
		expect(Buffer.from(await res.arrayBuffer()).equals(file.bytes)).toBe(true);
		const other = answered().find((c) => c.chat_id !== chat.chat_id) as V1Chat;
		expect((await api(sandbox, path(`/${idOf(other)}/attachments/${file.fileId}`))).body.error.code).toBe(1019);
	});

	test('PUT merges customer_info into the chat (v1 chat info shows it too); bad bodies answer 1015 or 1011', async () => {
		const chat = answered()[7];
		const id = idOf(chat);
		const before = { ...(chat.customer_info ?? {}) };
		const put = (body: string) => api(sandbox, path(`/${id}`), { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
		const res = await put(JSON.stringify({ customer_info: { Model: 'Class X9', seats: 12 } }));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ url: path(`/${id}`), object: 'conversations', data: { id, customer_info: { ...before, Model: 'Class X9', seats: '12' } } });
		expect((await api(sandbox, v1(sandbox, `/chats/${chat.chat_id}`))).body.data.customer_info).toEqual({ ...before, Model: 'Class X9', seats: '12' });
		expect((await put('{not json')).body.error.code).toBe(1015);
		expect((await put('{"customer_info":"x"}')).body.error).toMatchObject({ code: 1011, json_key: 'customer_info' });
		expect((await put('{"customer_info":{"a":{"b":1}}}')).body.error).toMatchObject({ code: 1011, json_key: 'customer_info.a' });
		expect((await api(sandbox, path('/99999999999999'), { method: 'PUT', body: '{"customer_info":{}}' })).body.error.code).toBe(1019);
	});

	test('reads need SalesIQ.conversations.READ and the update needs SalesIQ.conversations.UPDATE', async () => {
		const chat = answered()[1];
		const id = idOf(chat);
		const reader = (await grant(sandbox, 'SalesIQ.conversations.READ')).access_token;
		const writer = (await grant(sandbox, 'SalesIQ.conversations.UPDATE')).access_token;
		const put = { method: 'PUT', body: '{"customer_info":{"a":"b"}}' };
		expect((await api(sandbox, path(`/${id}`), { token: reader })).status).toBe(200);
		expect((await api(sandbox, path(`/${id}/messages`), { token: reader })).status).toBe(200);
		expect((await api(sandbox, path(`/${id}`), { ...put, token: reader })).body.error.code).toBe(1009);
		expect((await api(sandbox, path(`/${id}`), { token: writer })).body.error.code).toBe(1009);
		expect((await api(sandbox, path(`/${id}`), { ...put, token: writer })).status).toBe(200);
		const v1Only = (await grant(sandbox, 'SalesIQ.chatdetails.READ,SalesIQ.chattranscript.READ')).access_token;
		expect((await api(sandbox, path(`/${id}/messages`), { token: v1Only })).body.error.code).toBe(1009);
	});
});

describe('sandbox v2 conversation variants', () => {
	const fileOf = (sandbox: Sandbox) => {
		const file = [...sandbox.dataset.attachments.values()][0];
		return { file, id: conversationIdForChat(sandbox.dataset, file.chatId) as string };
	};
	const get = (sandbox: Sandbox, path: string) =>
		fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${sandbox.accessToken}` }, redirect: 'manual' });

	test.each([
		['api-host', (s: Sandbox) => `${s.url}/pubdownload/`],
		['file-domain', (s: Sandbox) => `${s.filesUrl}/`],
	])('v2-attachment=redirect answers 302 to the download link (files=%s), which serves the file without a token', async (files, prefix) => {
		const sandbox = await startSandbox({ chats: 200, seed: 7, anchorTime: ANCHOR, variants: { 'v2-attachment': 'redirect', files } });
		try {
			const { file, id } = fileOf(sandbox);
			const res = await get(sandbox, `/api/v2/${sandbox.screenName}/conversations/${id}/attachments/${file.fileId}`);
			expect(res.status).toBe(302);
			const location = res.headers.get('location') as string;
			expect(location.startsWith(prefix(sandbox))).toBe(true);
			const download = await fetch(location);
			expect(download.status).toBe(200);
			expect(Buffer.from(await download.arrayBuffer()).equals(file.bytes)).toBe(true);
		} finally {
			await sandbox.stop();
		}
	});

	test('v2-attachment=link answers JSON whose data.download_url serves the file', async () => {
		const sandbox = await startSandbox({ chats: 200, seed: 7, anchorTime: ANCHOR, variants: { 'v2-attachment': 'link' } });
		try {
			const { file, id } = fileOf(sandbox);
			const path = `/api/v2/${sandbox.screenName}/conversations/${id}/attachments/${file.fileId}`;
			const res = await api(sandbox, path);
			expect(res.body).toEqual({ url: path, object: 'attachment', data: { 'content-length': file.size, download_url: expect.stringMatching(/\/pubdownload\//) } });
			const download = await fetch(res.body.data.download_url);
			expect(Buffer.from(await download.arrayBuffer()).equals(file.bytes)).toBe(true);
		} finally {
			await sandbox.stop();
		}
	});

	test('v2-to-time=exclusive leaves out the messages of the to_time millisecond', async () => {
		const sandbox = await startSandbox({ chats: 200, seed: 7, anchorTime: ANCHOR, variants: { 'v2-to-time': 'exclusive' } });
		try {
			const chat = sandbox.dataset.chats.find((c) => !c.missed_time) as V1Chat;
			const entries = (sandbox.dataset.transcriptOf(chat.chat_id) as TranscriptEntry[]).slice(1) as TranscriptMessage[];
			const t = entries[5].time;
			const path = `/api/v2/${sandbox.screenName}/conversations/${conversationIdForChat(sandbox.dataset, chat.chat_id)}/messages?limit=100&to_time=${t}`;
			const page = (await api(sandbox, path)).body.data as Json[];
			expect(page.map((m) => m.time)).toEqual(entries.filter((e) => Number(e.time) < Number(t)).reverse().map((e) => e.time));
		} finally {
			await sandbox.stop();
		}
	});
});
