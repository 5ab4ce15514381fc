import type { IDataObject } from 'n8n-workflow';

import type { Sandbox, V1Chat } from '../sandbox';
import { chatListRequests, keys, onceEach, pollHarness, pollSandbox } from './support';

/** Deterministic choices for the scenarios (mulberry32). */
function random(seed: number) {
	let a = seed;
	const next = () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return { int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), chance: (p: number) => next() < p };
}

const ALL = ['chatStarted', 'chatEnded', 'chatMissed'];

/** What the trigger must report for a chat, given the chosen events. */
function expectedFor(chat: V1Chat, events: string[]): string[] {
	const out: string[] = [];
	if (events.includes('chatStarted')) out.push(`${chat.chat_id}:chatStarted`);
	if (chat.end_time !== undefined && events.includes('chatEnded')) out.push(`${chat.chat_id}:chatEnded`);
	if (chat.missed_time !== undefined && events.includes('chatMissed')) out.push(`${chat.chat_id}:chatMissed`);
	return out;
}

/** Every emitted item is the chat as the list shows it at that moment, plus `event`, and the event has happened. */
function checkItems(sandbox: Sandbox, items: IDataObject[] | undefined) {
	for (const item of items ?? []) {
		const { event, ...chat } = item;
		const now = sandbox.dataset.chatById(String(chat.chat_id)) as unknown as IDataObject;
		if (event === 'chatEnded') expect(chat.end_time).toBeDefined();
		if (event === 'chatMissed') expect(chat.missed_time).toBeDefined();
		// A chat that has not changed since the poll equals the list entry field for field.
		if (now.end_time === chat.end_time && now.missed_time === chat.missed_time && now.pickup_time === chat.pickup_time) {
			expect(chat).toEqual(JSON.parse(JSON.stringify(now)));
		}
	}
}

describe('Poll Trigger: each chat fires each chosen event exactly once', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await pollSandbox();
	});
	afterEach(() => sandbox.stop());

	test.each([
		['all three events', ALL],
		['Chat Ended and Chat Missed only (polls that find only open chats start nothing)', ['chatEnded', 'chatMissed']],
	])('20 polls with chats arriving and ending between them, two restarts and a reactivation: %s', async (_name, events) => {
		const rng = random(events.length);
		const harness = pollHarness(sandbox, { events });
		await harness.activate();
		const expected = new Set<string>();
		const open: V1Chat[] = [];
		const track = (chat: V1Chat) => expectedFor(chat, events).forEach((key) => expected.add(key));

		for (let i = 0; i < 20; i++) {
			open.push(...sandbox.live.openChats(rng.int(0, 5), { spacingMs: rng.int(0, 1) }));
			// Complete chats too: already answered or missed when first seen.
			if (rng.chance(0.3)) sandbox.addChats(rng.int(1, 3), { atTime: sandbox.now() }).forEach(track);
			sandbox.advanceTime(rng.int(1, 90_000));
			for (const chat of [...open]) {
				if (rng.chance(0.15) && chat.pickup_time === undefined) {
					sandbox.live.pickUp([chat.chat_id]);
					continue;
				}
				if (!rng.chance(0.35)) continue;
				const missed = chat.pickup_time === undefined && rng.chance(0.3);
				sandbox.live.endChats([chat.chat_id], { outcome: missed ? 'missed' : 'answered' });
				open.splice(open.indexOf(chat), 1);
			}
			sandbox.advanceTime(rng.int(1, 1000));
			const outcome = i === 7 || i === 13 ? await harness.restart() : await harness.poll();
			if (i === 10) {
				harness.deactivate();
				open.push(...sandbox.live.openChats(2));
				sandbox.advanceTime(5_000);
				await harness.activate();
			}
			expect(outcome.error).toBeUndefined();
			checkItems(sandbox, outcome.items);
		}
		sandbox.advanceTime(1000);
		if (open.length > 0) sandbox.live.endChats(open.map((chat) => chat.chat_id));
		await harness.poll();
		await harness.poll();

		for (const chat of sandbox.dataset.chats) if (Number(chat.chat_id) >= 1300) track(chat);
		expect(expected.size).toBeGreaterThan(40);
		expect(onceEach(harness.allItems)).toEqual(expected);
		expect(harness.errors).toEqual([]);
	});

	test('500 new chats in one poll: a page budget of 2 reads 200 chats per poll and the next polls carry on, across a restart', async () => {
		const harness = pollHarness(sandbox, { events: ['chatStarted'], options: { pageBudget: 2 } });
		await harness.activate();
		const base = sandbox.now() + 1000;
		// Runs of one to four chats in one millisecond, so page edges fall inside ties.
		const chats: V1Chat[] = [];
		for (let t = 0; chats.length < 500; t += 7) chats.push(...sandbox.addChats(Math.min(1 + (t % 4), 500 - chats.length), { atTime: base + t }));
		sandbox.advanceTime(60_000);

		sandbox.clearRequests();
		const first = await harness.poll();
		expect(chatListRequests(sandbox)).toHaveLength(2);
		expect(first.items?.length).toBeGreaterThanOrEqual(195);
		const later = sandbox.addChats(3, { atTime: sandbox.now() });
		await harness.restart();
		for (let i = 0; i < 4; i++) {
			sandbox.clearRequests();
			await harness.poll();
			expect(chatListRequests(sandbox).length).toBeLessThanOrEqual(2);
		}
		expect(onceEach(harness.allItems)).toEqual(new Set([...chats, ...later].map((chat) => `${chat.chat_id}:chatStarted`)));
	});

	test.each([1, 2, 10])('ties of one millisecond at every page edge and at the stored edge (page budget %i)', async (pageBudget) => {
		const harness = pollHarness(sandbox, { events: ALL, options: { pageBudget } });
		await harness.activate();
		const expected = new Set<string>();
		let time = sandbox.now() + 10;
		let last: V1Chat | undefined;
		for (let round = 0; round < 3; round++) {
			// 99 pairs and a triple: every page of 100 ends inside a millisecond shared by two or three chats.
			for (let k = 0; k < 100; k++) {
				const chats = sandbox.addChats(k === 50 ? 3 : 2, { atTime: time });
				chats.forEach((chat) => expectedFor(chat, ALL).forEach((key) => expected.add(key)));
				last = chats.at(-1);
				time += 1;
			}
			sandbox.advanceTime(100_000);
			await harness.poll();
			// More chats at the very millisecond the last poll ended on.
			const same = sandbox.live.openChats(2, { atTime: Number(last?.chatinitiated_time) });
			same.forEach((chat) => expected.add(`${chat.chat_id}:chatStarted`));
			await harness.poll();
			sandbox.advanceTime(1000);
			sandbox.live.endChats(same.map((chat) => chat.chat_id), { outcome: 'missed' });
			same.forEach((chat) => expected.add(`${chat.chat_id}:chatMissed`));
			time = sandbox.now() + 10;
		}
		for (let i = 0; i < 8; i++) await harness.poll();
		expect(onceEach(harness.allItems)).toEqual(expected);
		expect(keys(harness.allItems).length).toBe(expected.size);
	});
});
