import type { Sandbox } from '../sandbox';
import { chatListRequests, keys, onceEach, pollHarness, pollSandbox } from './support';

describe('Poll Trigger: first activation, Start From and Fetch Test Event', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await pollSandbox();
	});
	afterEach(() => sandbox.stop());

	test('the first activation starts from the newest chat: one request, no execution, older chats never fire', async () => {
		const harness = pollHarness(sandbox, { events: ['chatStarted', 'chatEnded', 'chatMissed'] });
		const before = sandbox.live.openChats(2);
		sandbox.advanceTime(10);
		sandbox.clearRequests();
		expect(await harness.activate()).toEqual({});
		expect(chatListRequests(sandbox).map((r) => r.query)).toEqual([{ limit: '100' }]);

		sandbox.advanceTime(1000);
		sandbox.live.endChats(before.map((chat) => chat.chat_id));
		const after = sandbox.live.openChats(1);
		sandbox.advanceTime(10);
		const outcome = await harness.poll();
		expect(keys(outcome.items)).toEqual([`${after[0].chat_id}:chatStarted`]);
		expect(await harness.poll()).toEqual({});
	});

	test('Start From back-fills every chat started at or after it, ended and missed ones included; older ones never', async () => {
		const chats = sandbox.dataset.chats;
		// The tenth-newest generated chat: everything from it on is back-filled.
		const startFrom = Number(chats[9].chatinitiated_time);
		const harness = pollHarness(sandbox, {
			events: ['chatStarted', 'chatEnded', 'chatMissed'],
			options: { startFrom: new Date(startFrom).toISOString() },
		});
		const first = await harness.activate();
		const wanted = chats.filter((chat) => Number(chat.chatinitiated_time) >= startFrom);
		const expected = new Set(
			wanted.flatMap((chat) => [
				`${chat.chat_id}:chatStarted`,
				...(chat.end_time ? [`${chat.chat_id}:chatEnded`] : []),
				...(chat.missed_time ? [`${chat.chat_id}:chatMissed`] : []),
			]),
		);
		expect(new Set(keys(first.items))).toEqual(expected);
		// Oldest event first.
		const started = (first.items ?? []).filter((item) => item.event === 'chatStarted').map((item) => Number(item.chatinitiated_time));
		expect(started).toEqual([...started].sort((a, b) => a - b));
		await harness.poll();
		await harness.restart();
		expect(onceEach(harness.allItems)).toEqual(expected);
	});

	test('changing Start From starts over from the new time; clearing it keeps the position', async () => {
		const chats = sandbox.dataset.chats;
		const harness = pollHarness(sandbox, { events: ['chatStarted'], options: { startFrom: Number(chats[2].chatinitiated_time) } });
		await harness.activate();
		expect(harness.allItems.length).toBeGreaterThanOrEqual(3);
		harness.deactivate();
		harness.setParameters({ events: ['chatStarted'], options: { startFrom: Number(chats[5].chatinitiated_time) } });
		const again = await harness.activate();
		expect(keys(again.items)).toEqual(expect.arrayContaining(chats.slice(0, 6).map((chat) => `${chat.chat_id}:chatStarted`)));
		harness.setParameters({ events: ['chatStarted'] });
		expect(await harness.poll()).toEqual({});
	});

	test('Fetch Test Event returns the newest chat that fits, without reading or moving the stored position', async () => {
		const harness = pollHarness(sandbox, { events: ['chatMissed'] });
		await harness.activate();
		const stored = JSON.stringify(harness.stored);
		const newestMissed = sandbox.dataset.chats.find((chat) => chat.missed_time !== undefined);
		const manual = await harness.manual();
		expect(manual.error).toBeUndefined();
		expect(manual.items).toEqual([{ ...JSON.parse(JSON.stringify(newestMissed)), event: 'chatMissed' }]);
		expect(JSON.stringify(harness.stored)).toBe(stored);

		// The newest chat, open: Chat Started fits it; only its start can be shown.
		const open = sandbox.live.openChats(1)[0];
		harness.setParameters({ events: ['chatStarted', 'chatEnded'] });
		expect(keys((await harness.manual()).items)).toEqual([`${open.chat_id}:chatStarted`]);
		// The active workflow still reports it once.
		sandbox.advanceTime(10);
		expect(keys((await harness.poll()).items)).toEqual([`${open.chat_id}:chatStarted`]);
	});

	test('Fetch Test Event with nothing that fits says so, and names the events', async () => {
		const harness = pollHarness(sandbox, { events: ['chatEnded'], filters: { departments: 'No Such Department' }, options: { pageBudget: 2 } });
		sandbox.clearRequests();
		const manual = await harness.manual();
		// Two pages of 100; the second starts at the millisecond the first ended on, which chats 100 and
		// 101 of the seeded list share, so one of its chats is a repeat: 199 distinct chats.
		expect(manual.error?.message).toBe('No chat fits: none of the newest 199 chats is a "Chat Ended" event that passes the filters');
		expect(chatListRequests(sandbox)).toHaveLength(2);
	});

	test('bad parameters are named before any request', async () => {
		for (const [parameters, message] of [
			[{ events: [] }, 'Choose at least one event'],
			[{ events: ['chatStarted'], options: { pageBudget: 0 } }, 'Page Budget must be a whole number from 1 to 100'],
			[{ events: ['chatStarted'], options: { lookBackHours: 1.5 } }, 'Look-Back (Hours) must be a whole number from 1 to 720'],
			[{ events: ['chatStarted'], options: { startFrom: 'yesterday-ish' } }, 'Start From "yesterday-ish" is not a valid date and time'],
		] as const) {
			sandbox.clearRequests();
			const harness = pollHarness(sandbox, parameters as never);
			await expect(harness.activate()).rejects.toThrow(message);
			expect(sandbox.requests()).toHaveLength(0);
		}
	});
});
