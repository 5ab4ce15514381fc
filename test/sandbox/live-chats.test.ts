import { startSandbox } from './index';
import type { Sandbox } from './index';
import { ANCHOR, api, v1 } from './helpers';
import type { Json } from './helpers';

describe('sandbox live chats', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox({ chats: 50, visitors: 20, seed: 3, anchorTime: ANCHOR, clock: () => ANCHOR });
	});
	afterEach(() => sandbox.stop());

	const control = async (route: string, body: unknown) => {
		const res = await fetch(`${sandbox.url}/__sandbox${route}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as Json };
	};
	const listed = async (chatId: string) => {
		const res = await api(sandbox, v1(sandbox, '/chats?limit=100'));
		return (res.body.data as Json[]).find((chat) => chat.chat_id === chatId);
	};

	test('an opened chat is listed newest, waiting, without transcript; ending it answered fills the outcome', async () => {
		const opened = await control('/chats/open', { count: 2, spacingMs: 5 });
		expect(opened.status).toBe(200);
		const [first, second] = opened.body.chats as Json[];
		expect(first.chatinitiated_time).toBe(String(ANCHOR));
		expect(second.chatinitiated_time).toBe(String(ANCHOR + 5));
		const waiting = await listed(first.chat_id);
		for (const field of ['attender_id', 'pickup_time', 'end_time', 'missed_time', 'chat_duration']) expect(waiting).not.toHaveProperty(field);
		expect((await api(sandbox, v1(sandbox, `/chats/${first.chat_id}/transcript`))).body.error.code).toBe(2032);

		sandbox.advanceTime(60_000);
		expect((await control('/chats/pick-up', { chatIds: [first.chat_id] })).status).toBe(200);
		const attended = await listed(first.chat_id);
		expect(attended.pickup_time).toBe(String(ANCHOR + 60_000));
		expect(attended).not.toHaveProperty('end_time');

		const ended = await control('/chats/end', { chatIds: [first.chat_id], atTime: ANCHOR + 120_000 });
		expect(ended.body.chats[0]).toMatchObject({ end_time: String(ANCHOR + 120_000), chat_duration: '60000' });
		expect((await listed(first.chat_id)).end_time).toBe(String(ANCHOR + 120_000));
		const info = await api(sandbox, v1(sandbox, `/chats/${first.chat_id}`));
		expect(info.body.data.end_time).toBe(String(ANCHOR + 120_000));
		const transcript = await api(sandbox, v1(sandbox, `/chats/${first.chat_id}/transcript`));
		expect(transcript.status).toBe(200);
		expect(transcript.body.data.at(-1).time).toBe(String(ANCHOR + 120_000));
	});

	test('a chat can end missed; an ended chat cannot end again; bad input answers 400', async () => {
		const chat = sandbox.live.openChats(1)[0];
		sandbox.advanceTime(90_000);
		const missed = await control('/chats/end', { chatIds: [chat.chat_id], outcome: 'missed' });
		expect(missed.body.chats[0]).toMatchObject({ missed_time: String(ANCHOR + 90_000), waited_duration: '90000' });
		expect(missed.body.chats[0]).not.toHaveProperty('end_time');
		expect((await control('/chats/end', { chatIds: [chat.chat_id] })).status).toBe(400);
		expect((await control('/chats/end', { chatIds: [] })).status).toBe(400);
		expect((await control('/chats/end', { chatIds: ['999999'] })).status).toBe(400);
		const other = sandbox.live.openChats(1)[0];
		expect((await control('/chats/end', { chatIds: [other.chat_id], atTime: ANCHOR - 1 })).status).toBe(400);
		expect((await control('/chats/end', { chatIds: [other.chat_id], outcome: 'closed' })).status).toBe(400);
		expect((await control('/chats/open', { count: -1 })).status).toBe(400);
	});
});
