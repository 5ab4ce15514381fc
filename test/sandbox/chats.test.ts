import { DOWNLOAD_LINK_TTL_MS, startSandbox } from './index';
import type { AttachmentMessage, Sandbox, TranscriptEntry, V1Chat } from './index';
import { ANCHOR, api, v1 } from './helpers';

describe('sandbox v1 chats, transcripts and attachments', () => {
	let sandbox: Sandbox;
	let now = ANCHOR;

	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 400, visitors: 50, seed: 7, anchorTime: ANCHOR, clock: () => now });
	});
	afterAll(() => sandbox.stop());

	const chats = () => sandbox.dataset.chats;
	const answered = () => chats().filter((c) => !c.missed_time);
	let chatsWithFiles: V1Chat[];
	const withAttachments = () => {
		const ids = new Set([...sandbox.dataset.attachments.values()].map((a) => a.chatId));
		chatsWithFiles ??= chats().filter((c) => ids.has(c.chat_id));
		return chatsWithFiles;
	};

	describe('chat list', () => {
		test('defaults to 50 chats, newest first, equal to the dataset', async () => {
			const res = await api(sandbox, v1(sandbox, '/chats'));
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^application\/json/);
			expect(Object.keys(res.body)).toEqual(['data']);
			expect(res.body.data).toEqual(chats().slice(0, 50));
			const times = res.body.data.map((c: V1Chat) => Number(c.chatinitiated_time));
			expect(times).toEqual([...times].sort((a, b) => b - a));
		});

		test('limit above 100 is clamped to 100; below 1 or not a number is 1011 with param', async () => {
			expect((await api(sandbox, v1(sandbox, '/chats?limit=500'))).body.data).toHaveLength(100);
			expect((await api(sandbox, v1(sandbox, '/chats?limit=7'))).body.data).toHaveLength(7);
			for (const [query, param] of [
				['limit=0', 'limit'],
				['limit=abc', 'limit'],
				['limit=-3', 'limit'],
				['fromtime=yesterday', 'fromtime'],
				['totime=1.5', 'totime'],
			]) {
				const res = await api(sandbox, v1(sandbox, `/chats?${query}`));
				expect(res.status).toBe(400);
				expect(res.body).toEqual({ error: { code: 1011, message: expect.any(String), param } });
			}
		});

		test('fromtime and totime are inclusive millisecond bounds', async () => {
			const all = chats();
			const shared = all.findIndex((c, i) => i > 0 && c.chatinitiated_time === all[i - 1].chatinitiated_time);
			const t = Number(all[shared].chatinitiated_time);
			const expected = all.filter((c) => Number(c.chatinitiated_time) === t);
			expect(expected.length).toBeGreaterThanOrEqual(2);
			const exact = await api(sandbox, v1(sandbox, `/chats?fromtime=${t}&totime=${t}`));
			expect(exact.body.data).toEqual(expected);
			const lo = Number(all[120].chatinitiated_time);
			const hi = Number(all[80].chatinitiated_time);
			const range = await api(sandbox, v1(sandbox, `/chats?fromtime=${lo}&totime=${hi}&limit=100`));
			expect(range.body.data).toEqual(all.filter((c) => Number(c.chatinitiated_time) >= lo && Number(c.chatinitiated_time) <= hi));
			const onlyTo = await api(sandbox, v1(sandbox, `/chats?totime=${hi}&limit=3`));
			expect(onlyTo.body.data[0]).toEqual(all.find((c) => Number(c.chatinitiated_time) <= hi));
			const onlyFrom = await api(sandbox, v1(sandbox, `/chats?fromtime=${hi}&limit=100`));
			expect(onlyFrom.body.data).toEqual(all.filter((c) => Number(c.chatinitiated_time) >= hi));
		});

		test('an empty window returns an empty list', async () => {
			const res = await api(sandbox, v1(sandbox, `/chats?fromtime=${ANCHOR + 1000}`));
			expect(res.body).toEqual({ data: [] });
			expect((await api(sandbox, v1(sandbox, `/chats?fromtime=20&totime=10`))).body).toEqual({ data: [] });
		});

		test('answered and missed chats have the documented fields, all strings', async () => {
			const list: V1Chat[] = (await api(sandbox, v1(sandbox, '/chats?limit=100'))).body.data;
			const missed = list.find((c) => c.missed_time);
			const done = list.find((c) => !c.missed_time);
			expect(done).toEqual(
				expect.objectContaining({
					chat_id: expect.stringMatching(/^\d+$/),
					chat_title: expect.any(String),
					question: expect.any(String),
					department_id: expect.stringMatching(/^\d{16}$/),
					department_name: expect.any(String),
					embed_id: expect.stringMatching(/^\d{16}$/),
					embed_name: expect.any(String),
					attender_id: expect.stringMatching(/^\d{16}$/),
					attender_name: expect.any(String),
					attender_email: expect.stringContaining('@'),
					participants: [expect.stringMatching(/^\d{13}$/)],
					supervisor: expect.any(Array),
					chatinitiated_time: expect.stringMatching(/^\d{13}$/),
					pickup_time: expect.stringMatching(/^\d{13}$/),
					end_time: expect.stringMatching(/^\d{13}$/),
					chat_duration: expect.stringMatching(/^\d+$/),
					waited_duration: expect.stringMatching(/^\d+$/),
					visitor_name: expect.any(String),
					visitor_ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
					country_code: expect.stringMatching(/^[A-Z]{2}$/),
				}),
			);
			const d = done as V1Chat;
			expect(Number(d.end_time) - Number(d.pickup_time)).toBe(Number(d.chat_duration));
			expect(Number(d.pickup_time) - Number(d.chatinitiated_time)).toBe(Number(d.waited_duration));
			expect(missed).toEqual(expect.objectContaining({ missed_time: expect.stringMatching(/^\d{13}$/), participants: [] }));
			expect(missed).not.toHaveProperty('attender_id');
			expect(missed).not.toHaveProperty('pickup_time');
		});
	});

	describe('chat info', () => {
		test('returns the same chat object as the list', async () => {
			const chat = chats()[17];
			const res = await api(sandbox, v1(sandbox, `/chats/${chat.chat_id}`));
			expect(res).toMatchObject({ status: 200, body: { data: chat } });
		});

		test('an unknown chat id is 404 with 2021', async () => {
			for (const id of ['123456789', 'abc']) {
				const res = await api(sandbox, v1(sandbox, `/chats/${id}`));
				expect(res.status).toBe(404);
				expect(res.body).toEqual({ error: { code: 2021, message: 'Invalid chat_id' } });
			}
		});
	});

	describe('transcript', () => {
		test('starts with the header, then messages oldest first, 50 by default', async () => {
			const chat = answered().find((c) => (sandbox.dataset.transcriptOf(c.chat_id)?.length ?? 0) > 60) as V1Chat;
			const res = await api(sandbox, v1(sandbox, `/chats/${chat.chat_id}/transcript`));
			expect(res.status).toBe(200);
			const data: TranscriptEntry[] = res.body.data;
			expect(data).toHaveLength(50);
			expect(data[0]).toEqual({ chatinitiated_time: chat.chatinitiated_time, visitor_name: chat.visitor_name, question: chat.question });
			const messages = data.slice(1) as Array<{ sender: string; time: string; dname: string; msg: unknown }>;
			for (const m of messages) {
				expect(m).toEqual(expect.objectContaining({ sender: expect.any(String), time: expect.stringMatching(/^\d{13}$/), dname: expect.any(String) }));
			}
			const times = messages.map((m) => Number(m.time));
			expect(times).toEqual([...times].sort((a, b) => a - b));
			expect(times[0]).toBeGreaterThan(Number(chat.chatinitiated_time));
			expect(data).toEqual(sandbox.dataset.transcriptOf(chat.chat_id)?.slice(0, 50));
		});

		test('limit is clamped to 100 and validated; fromtime and totime are inclusive', async () => {
			const chat = answered().find((c) => (sandbox.dataset.transcriptOf(c.chat_id)?.length ?? 0) > 150) as V1Chat;
			const full = sandbox.dataset.transcriptOf(chat.chat_id) as TranscriptEntry[];
			const path = v1(sandbox, `/chats/${chat.chat_id}/transcript`);
			expect((await api(sandbox, `${path}?limit=1000`)).body.data).toHaveLength(100);
			expect((await api(sandbox, `${path}?limit=0`)).body.error).toMatchObject({ code: 1011, param: 'limit' });
			expect((await api(sandbox, `${path}?fromtime=x`)).body.error).toMatchObject({ code: 1011, param: 'fromtime' });
			const time = (e: TranscriptEntry) => Number('time' in e ? e.time : e.chatinitiated_time);
			const from = time(full[20]);
			const to = time(full[30]);
			const window = await api(sandbox, `${path}?fromtime=${from}&totime=${to}&limit=100`);
			expect(window.body.data).toEqual(full.filter((e) => time(e) >= from && time(e) <= to));
			expect(window.body.data[0]).not.toHaveProperty('question');
		});

		test('a missed chat answers 2032 and an unknown chat 2031', async () => {
			const missed = chats().find((c) => c.missed_time) as V1Chat;
			const res = await api(sandbox, v1(sandbox, `/chats/${missed.chat_id}/transcript`));
			expect(res).toMatchObject({ status: 404, body: { error: { code: 2032, message: 'No Chat Transcript Available : Missed Chat' } } });
			const unknown = await api(sandbox, v1(sandbox, '/chats/99999999/transcript'));
			expect(unknown).toMatchObject({ status: 404, body: { error: { code: 2031 } } });
			expect(sandbox.dataset.transcriptOf(missed.chat_id)).toBeUndefined();
		});
	});

	describe('attachments', () => {
		test('every attachment entry resolves to a download link that serves the real bytes without a token', async () => {
			const chat = withAttachments()[0];
			const entries = (sandbox.dataset.transcriptOf(chat.chat_id) as TranscriptEntry[]).filter(
				(e): e is AttachmentMessage => 'mode' in e && e.mode === 'att',
			);
			expect(entries.length).toBeGreaterThan(0);
			for (const entry of entries) {
				expect(entry.msg).toEqual(
					expect.objectContaining({
						fileId: expect.stringMatching(/^A_\d+$/),
						fName: expect.any(String),
						content: expect.stringMatching(/^(image\/png|application\/pdf|text\/plain)$/),
						size: expect.stringMatching(/^\d+$/),
						url: expect.stringMatching(/^\/attachments\/\d+\/A_\d+$/),
					}),
				);
				const res = await api(sandbox, v1(sandbox, `/chats/${chat.chat_id}${entry.msg.url}`));
				expect(res.status).toBe(200);
				expect(res.body).toEqual({
					data: { 'content-length': Number(entry.msg.size), download_url: expect.stringMatching(new RegExp(`^${sandbox.url}/pubdownload/[0-9a-f-]{36}$`)) },
				});
				sandbox.clearRequests();
				const download = await fetch(res.body.data.download_url);
				expect(download.status).toBe(200);
				expect(download.headers.get('content-type')).toBe(entry.msg.content);
				expect(download.headers.get('content-disposition')).toContain(`attachment; filename="${entry.msg.fName}"`);
				const bytes = Buffer.from(await download.arrayBuffer());
				expect(bytes.length).toBe(Number(entry.msg.size));
				expect(bytes.equals(sandbox.dataset.attachments.get(entry.msg.fileId)?.bytes as Buffer)).toBe(true);
				const [logged] = sandbox.requests('/pubdownload/');
				expect(logged.headers.authorization).toBeUndefined();
			}
		});

		test('the dataset attachment index matches the transcripts and holds PNG, PDF and text files', () => {
			const index = sandbox.dataset.attachments;
			const kinds = new Set([...index.values()].map((a) => a.content));
			expect(kinds).toEqual(new Set(['image/png', 'application/pdf', 'text/plain']));
			for (const info of index.values()) {
				const entry = sandbox.dataset
					.transcriptOf(info.chatId)
					?.find((e): e is AttachmentMessage => 'mode' in e && e.msg.fileId === info.fileId);
				expect(entry?.msg.url).toBe(info.url);
				expect(info.bytes.length).toBe(info.size);
			}
		});

		test('a chat without attachments is 2042, a missed chat 2042, an unknown file 2043, an unknown chat 2041', async () => {
			const plain = answered().find((c) => !withAttachments().includes(c)) as V1Chat;
			const missed = chats().find((c) => c.missed_time) as V1Chat;
			const withFiles = withAttachments()[0];
			const entry = (sandbox.dataset.transcriptOf(withFiles.chat_id) as TranscriptEntry[]).find(
				(e): e is AttachmentMessage => 'mode' in e,
			) as AttachmentMessage;
			const folder = entry.msg.url.split('/')[2];
			const cases: Array<[string, number, string]> = [
				[`/chats/${plain.chat_id}/attachments/1/A_1`, 2042, 'No Attachments available for this chat'],
				[`/chats/${missed.chat_id}/attachments/1/A_1`, 2042, 'No Attachments available for this chat'],
				[`/chats/${withFiles.chat_id}/attachments/${folder}/A_0000`, 2043, 'File Not Found'],
				[`/chats/${withFiles.chat_id}/attachments/123/${entry.msg.fileId}`, 2043, 'File Not Found'],
				[`/chats/77777777/attachments/${folder}/${entry.msg.fileId}`, 2041, 'Invalid chat_id'],
			];
			for (const [path, code, message] of cases) {
				const res = await api(sandbox, v1(sandbox, path));
				expect(res.status).toBe(404);
				expect(res.body).toEqual({ error: { code, message } });
			}
		});

		test('download links are temporary and unknown links are 404', async () => {
			const info = [...sandbox.dataset.attachments.values()][0];
			const res = await api(sandbox, v1(sandbox, `/chats/${info.chatId}${info.url}`));
			const link: string = res.body.data.download_url;
			expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
			now += DOWNLOAD_LINK_TTL_MS;
			expect((await fetch(link)).status).toBe(404);
			expect((await fetch(`${sandbox.url}/pubdownload/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
		});
	});
});
