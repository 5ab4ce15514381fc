import type { Sandbox } from '../sandbox';
import { chatListRequests, keys, onceEach, pollHarness, pollSandbox } from './support';

const ALL = ['chatStarted', 'chatEnded', 'chatMissed'];

describe('Poll Trigger: requests per poll, look-back, filters and errors', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await pollSandbox();
	});
	afterEach(() => sandbox.stop());

	test('a poll with nothing new is one request, from the stored edge', async () => {
		const harness = pollHarness(sandbox, { events: ALL });
		await harness.activate();
		const newest = sandbox.dataset.chats[0].chatinitiated_time;
		// The first bounded list learns how SalesIQ reads fromtime/totime: one request the other way round.
		sandbox.clearRequests();
		expect(await harness.poll()).toEqual({});
		expect(chatListRequests(sandbox).map((r) => r.query)).toEqual([
			{ limit: '100', fromtime: newest },
			{ limit: '100', totime: newest },
		]);
		for (let i = 0; i < 3; i++) {
			sandbox.clearRequests();
			expect(await harness.poll()).toEqual({});
			expect(chatListRequests(sandbox).map((r) => r.query)).toEqual([{ limit: '100', fromtime: newest }]);
			expect(sandbox.requests()).toHaveLength(1);
		}
	});

	test('with open chats watched, a poll reads back to the oldest open chat: one request per 100 chats started since, never more than the Page Budget', async () => {
		const harness = pollHarness(sandbox, { events: ['chatEnded'], options: { pageBudget: 3 } });
		await harness.activate();
		const [watched] = sandbox.live.openChats(1);
		sandbox.advanceTime(10);
		await harness.poll();
		// 40 chats after it: still one page.
		sandbox.addChats(40, { atTime: sandbox.now(), spacingMs: 1 });
		sandbox.advanceTime(100);
		await harness.poll();
		sandbox.clearRequests();
		await harness.poll();
		expect(chatListRequests(sandbox).map((r) => r.query)).toEqual([{ limit: '100', fromtime: watched.chatinitiated_time }]);

		// 400 more: every walk back to the open chat needs 5 pages, so each runs over two polls of at most 3.
		sandbox.addChats(400, { atTime: sandbox.now(), spacingMs: 1 });
		sandbox.advanceTime(1000);
		const counts: number[] = [];
		for (let i = 0; i < 4; i++) {
			sandbox.clearRequests();
			await harness.poll();
			counts.push(chatListRequests(sandbox).length);
		}
		expect(counts).toEqual([3, 2, 3, 2]);
		sandbox.live.endChats([watched.chat_id]);
		await harness.poll();
		await harness.poll();
		expect(keys(harness.allItems).filter((key) => key.startsWith(`${watched.chat_id}:`))).toEqual([`${watched.chat_id}:chatEnded`]);
	});

	test('Look-Back: a chat that ends within its window is reported, one that ends after it is not, and is no longer watched', async () => {
		const harness = pollHarness(sandbox, { events: ['chatEnded'], options: { lookBackHours: 1 } });
		await harness.activate();
		const [quick, slow] = sandbox.live.openChats(2, { spacingMs: 1 });
		sandbox.advanceTime(1000);
		await harness.poll();
		sandbox.advanceTime(30 * 60_000);
		sandbox.live.endChats([quick.chat_id]);
		expect(keys((await harness.poll()).items)).toEqual([`${quick.chat_id}:chatEnded`]);

		sandbox.advanceTime(31 * 60_000);
		// A new chat moves the position past the slow chat's window.
		const [later] = sandbox.live.openChats(1);
		sandbox.advanceTime(10);
		await harness.poll();
		sandbox.live.endChats([slow.chat_id, later.chat_id]);
		sandbox.clearRequests();
		expect(keys((await harness.poll()).items)).toEqual([`${later.chat_id}:chatEnded`]);
		// The slow chat is no longer watched: the poll reads only from the newer open chat on.
		expect(chatListRequests(sandbox)[0].query.fromtime).toBe(later.chatinitiated_time);
	});

	test('Department and Brand filters apply to each chat as it is now', async () => {
		const [department] = sandbox.dataset.departments;
		const [brand] = sandbox.dataset.apps;
		const harness = pollHarness(sandbox, {
			events: ALL,
			filters: { departments: ` x, ${department.name.toUpperCase()} `, brandIds: [brand.id] },
		});
		await harness.activate();
		const chats = sandbox.addChats(60, { atTime: sandbox.now(), spacingMs: 1 });
		sandbox.advanceTime(1000);
		await harness.poll();
		const fits = chats.filter((chat) => chat.department_id === department.id && chat.embed_id === brand.id);
		expect(fits.length).toBeGreaterThan(0);
		expect(new Set(harness.allItems.map((item) => item.chat_id))).toEqual(new Set(fits.map((chat) => chat.chat_id)));
	});

	test('an expired access token is refreshed once and the poll goes on, at every expiry of an activation', async () => {
		const harness = pollHarness(sandbox, { events: ['chatStarted'] });
		await harness.activate();
		const [chat] = sandbox.live.openChats(1);
		sandbox.advanceTime(10);
		sandbox.expireAccessTokens();
		const outcome = await harness.poll();
		expect(outcome.error).toBeUndefined();
		expect(keys(outcome.items)).toEqual([`${chat.chat_id}:chatStarted`]);
		expect(sandbox.tokenRequests()).toHaveLength(1);
		expect(harness.credentialsHelper.tokenUpdates).toHaveLength(1);

		// n8n keeps one poll context for the whole activation: a later expiry is renewed again.
		const [next] = sandbox.live.openChats(1);
		sandbox.advanceTime(10);
		sandbox.expireAccessTokens();
		const again = await harness.poll();
		expect(again.error).toBeUndefined();
		expect(keys(again.items)).toEqual([`${next.chat_id}:chatStarted`]);
		expect(sandbox.tokenRequests()).toHaveLength(2);
	});

	test('an error in an active workflow is recorded, keeps the stored position, and the next poll delivers everything once', async () => {
		const harness = pollHarness(sandbox, { events: ALL, options: { pageBudget: 2 } });
		await harness.activate();
		const chats = sandbox.live.openChats(150, { spacingMs: 1 });
		sandbox.advanceTime(1000);
		const stored = JSON.stringify(harness.stored);
		// The second page fails (with no retry left): the first page's chats must not count as done.
		const fault = sandbox.inject({ kind: 'status', status: 400, code: 1011, match: '/chats', everyNth: 2 });
		const failed = await harness.poll();
		expect(failed.items).toBeUndefined();
		expect(failed.error?.message).toMatch(/1011/);
		expect(harness.errors).toHaveLength(1);
		expect(JSON.stringify(harness.stored)).toBe(stored);
		sandbox.removeFault(fault);
		sandbox.live.endChats(chats.slice(0, 10).map((chat) => chat.chat_id));
		await harness.poll();
		await harness.poll();
		const expected = new Set([
			...chats.map((chat) => `${chat.chat_id}:chatStarted`),
			...chats.slice(0, 10).map((chat) => `${chat.chat_id}:chatEnded`),
		]);
		expect(onceEach(harness.allItems)).toEqual(expected);
	});

	test('a poll that starts while the previous one still runs does nothing: no chat is reported twice', async () => {
		const harness = pollHarness(sandbox, { events: ['chatStarted'] });
		await harness.activate();
		const chats = sandbox.live.openChats(5, { spacingMs: 1 });
		sandbox.advanceTime(10);
		sandbox.inject({ kind: 'latency', ms: 400, match: '/chats' });
		sandbox.clearRequests();
		await Promise.all([harness.poll(), harness.poll()]);
		expect(chatListRequests(sandbox)).toHaveLength(1);
		expect(harness.executions).toHaveLength(1);
		expect(onceEach(harness.allItems)).toEqual(new Set(chats.map((chat) => `${chat.chat_id}:chatStarted`)));
	});

	test('an error at activation fails the activation, as n8n shows it', async () => {
		sandbox.inject({ kind: 'status', status: 401, code: 1009, match: '/chats' });
		const harness = pollHarness(sandbox, { events: ALL });
		await expect(harness.activate()).rejects.toThrow(/1009|scope/i);
		expect(harness.stored).toEqual({});
	});
});
