import { startSandbox, type Sandbox, type V1Chat } from '../sandbox';
import { chatListRequests, onceEach, pollHarness } from './support';

/**
 * Zoho's chat-list page and its example disagree on which of `fromtime`/`totime` is the lower
 * bound; the sandbox plays both readings. The trigger must be exactly once, and cheap, under each.
 */
describe.each(['prose', 'example'])('Poll Trigger under the time-bounds=%s reading', (reading) => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox({ chats: 300, visitors: 50, seed: 15, variants: { 'time-bounds': reading } });
	});
	afterEach(() => sandbox.stop());

	test('new, ended and missed chats over many pages, ties at page edges, a page budget and a restart: each event once', async () => {
		const harness = pollHarness(sandbox, { events: ['chatStarted', 'chatEnded', 'chatMissed'], options: { pageBudget: 2 } });
		await harness.activate();
		const expected = new Set<string>();
		const open: V1Chat[] = [];
		for (let round = 0; round < 4; round++) {
			// Pairs of chats in one millisecond, 250 of them: pages of 100 end inside a pair.
			for (let k = 0; k < 125; k++) {
				for (const chat of sandbox.addChats(2, { atTime: sandbox.now() + k })) {
					expected.add(`${chat.chat_id}:chatStarted`);
					expected.add(`${chat.chat_id}:${chat.end_time ? 'chatEnded' : 'chatMissed'}`);
				}
			}
			open.push(...sandbox.live.openChats(3, { atTime: sandbox.now() + 200 }));
			sandbox.advanceTime(1000);
			if (round === 2) await harness.restart();
			else await harness.poll();
		}
		const ended = open.map((chat) => chat.chat_id);
		sandbox.live.endChats(ended);
		for (const id of ended) expected.add(`${id}:chatStarted`).add(`${id}:chatEnded`);
		for (let i = 0; i < 12; i++) await harness.poll();
		expect(onceEach(harness.allItems)).toEqual(expected);

		sandbox.clearRequests();
		expect(await harness.poll()).toEqual({});
		expect(chatListRequests(sandbox)).toHaveLength(1);
	});
});
