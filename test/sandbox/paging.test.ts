import { startSandbox } from './index';
import type { Sandbox, TranscriptEntry, V1Chat, Visitor } from './index';
import { ANCHOR, api, v1 } from './helpers';

/** The chat-list client algorithm of docs/ZOHO-API.md (Paging): move totime to the oldest time seen and drop chats already seen. */
async function pageAllChats(sandbox: Sandbox, limit: number, onPage?: (page: number) => void) {
	const seen = new Map<string, V1Chat>();
	let totime: number | undefined;
	let pages = 0;
	let overlapping = 0;
	for (;;) {
		const query = new URLSearchParams({ limit: String(limit) });
		if (totime !== undefined) query.set('totime', String(totime));
		const res = await api(sandbox, v1(sandbox, `/chats?${query}`));
		expect(res.status).toBe(200);
		const data: V1Chat[] = res.body.data;
		pages++;
		onPage?.(pages);
		let fresh = 0;
		for (const chat of data) {
			if (seen.has(chat.chat_id)) continue;
			seen.set(chat.chat_id, chat);
			fresh++;
		}
		if (fresh < data.length) overlapping++;
		if (fresh === 0) break;
		totime = Number(data[data.length - 1].chatinitiated_time);
	}
	return { chats: [...seen.values()], pages, overlapping };
}

describe('sandbox paging', () => {
	describe('10,000 chats', () => {
		let sandbox: Sandbox;
		beforeAll(async () => {
			sandbox = await startSandbox({ chats: 10_000, visitors: 10, seed: 42, anchorTime: ANCHOR });
		});
		afterAll(() => sandbox.stop());

		test('paging by totime with dedup by chat_id returns every chat exactly once', async () => {
			const { chats, pages, overlapping } = await pageAllChats(sandbox, 100);
			expect(chats).toHaveLength(10_000);
			expect(new Set(chats.map((c) => c.chat_id)).size).toBe(10_000);
			// Same objects in the same order (a deep toEqual over 10,000 chats is needlessly slow).
			expect(JSON.stringify(chats) === JSON.stringify(sandbox.dataset.chats)).toBe(true);
			expect(pages).toBeGreaterThan(100);
			// Same-millisecond runs straddle page boundaries, so some pages repeat chats already seen.
			expect(overlapping).toBeGreaterThan(50);
		}, 30_000);

		test('naive paging (totime = oldest - 1) loses chats that share a millisecond across a page boundary', async () => {
			const ids = new Set<string>();
			let totime: number | undefined;
			for (;;) {
				const res = await api(sandbox, v1(sandbox, `/chats?limit=100${totime === undefined ? '' : `&totime=${totime}`}`));
				const data: V1Chat[] = res.body.data;
				if (data.length === 0) break;
				for (const chat of data) ids.add(chat.chat_id);
				totime = Number(data[data.length - 1].chatinitiated_time) - 1;
			}
			expect(ids.size).toBeLessThan(10_000);
		}, 30_000);

		test('same-millisecond runs stay short (at most 5) and are common', () => {
			const chats = sandbox.dataset.chats;
			let run = 1;
			let longest = 1;
			let runs = 0;
			for (let i = 1; i < chats.length; i++) {
				if (chats[i].chatinitiated_time === chats[i - 1].chatinitiated_time) {
					run++;
					if (run === 2) runs++;
					longest = Math.max(longest, run);
					// Within one millisecond, newer chat ids come first.
					expect(Number(chats[i].chat_id)).toBeLessThan(Number(chats[i - 1].chat_id));
				} else {
					run = 1;
				}
			}
			expect(longest).toBeLessThanOrEqual(5);
			expect(runs).toBeGreaterThan(300);
			// The first page boundary for limit 50 and 100 always splits a run.
			expect(chats[49].chatinitiated_time).toBe(chats[50].chatinitiated_time);
			expect(chats[99].chatinitiated_time).toBe(chats[100].chatinitiated_time);
		});
	});

	describe('data changing during paging', () => {
		let sandbox: Sandbox;
		beforeAll(async () => {
			sandbox = await startSandbox({ chats: 500, visitors: 10, seed: 3, anchorTime: ANCHOR, clock: () => ANCHOR });
		});
		afterAll(() => sandbox.stop());

		test('chats added below the window are found, chats added above it are not, nothing is duplicated', async () => {
			const before = sandbox.dataset.chats.map((c) => c.chat_id);
			let added: V1Chat[] = [];
			let newer: V1Chat[] = [];
			const { chats } = await pageAllChats(sandbox, 50, (page) => {
				if (page !== 2) return;
				// Three chats in one millisecond deep in the unseen range, one at the boundary of the
				// next page, and one newer than everything already paged.
				const deep = Number(sandbox.dataset.chats[400].chatinitiated_time);
				const boundary = Number(sandbox.dataset.chats[99].chatinitiated_time);
				added = [...sandbox.addChats(3, { atTime: deep }), ...sandbox.addChats(1, { atTime: boundary })];
				newer = sandbox.addChats(1);
			});
			const ids = chats.map((c) => c.chat_id);
			expect(new Set(ids).size).toBe(ids.length);
			for (const chat of added) expect(ids).toContain(chat.chat_id);
			expect(ids).not.toContain(newer[0].chat_id);
			expect(ids).toEqual(expect.arrayContaining(before));
			expect(ids).toHaveLength(before.length + added.length);
		});

		test('addChats assigns new increasing ids and keeps the list ordered', async () => {
			const last = Math.max(...sandbox.dataset.chats.map((c) => Number(c.chat_id)));
			const at = Number(sandbox.dataset.chats[10].chatinitiated_time);
			const added = sandbox.addChats(2, { atTime: at, spacingMs: 5 });
			expect(added.map((c) => Number(c.chat_id))).toEqual([last + 1, last + 2]);
			expect(added.map((c) => Number(c.chatinitiated_time))).toEqual([at, at + 5]);
			const times = sandbox.dataset.chats.map((c) => Number(c.chatinitiated_time));
			expect(times).toEqual([...times].sort((a, b) => b - a));
			const info = await api(sandbox, v1(sandbox, `/chats/${added[0].chat_id}`));
			expect(info.body.data).toEqual(added[0]);
			const window = await api(sandbox, v1(sandbox, `/chats?fromtime=${at}&totime=${at}`));
			expect(window.body.data[0]).toEqual(added[0]);
		});
	});

	describe('transcripts', () => {
		let sandbox: Sandbox;
		beforeAll(async () => {
			sandbox = await startSandbox({ chats: 300, visitors: 10, seed: 11, anchorTime: ANCHOR });
		});
		afterAll(() => sandbox.stop());

		test('long transcripts exist and page completely by moving fromtime forward', async () => {
			const key = (e: TranscriptEntry) => JSON.stringify(e);
			const time = (e: TranscriptEntry) => Number('time' in e ? e.time : e.chatinitiated_time);
			const long = sandbox.dataset.chats.filter((c) => (sandbox.dataset.transcriptOf(c.chat_id)?.length ?? 0) > 200);
			expect(long.length).toBeGreaterThan(0);
			for (const chat of long.slice(0, 3)) {
				const full = sandbox.dataset.transcriptOf(chat.chat_id) as TranscriptEntry[];
				const collected: TranscriptEntry[] = [];
				const seen = new Set<string>();
				let fromtime: number | undefined;
				for (;;) {
					const query = fromtime === undefined ? 'limit=100' : `limit=100&fromtime=${fromtime}`;
					const res = await api(sandbox, v1(sandbox, `/chats/${chat.chat_id}/transcript?${query}`));
					const data: TranscriptEntry[] = res.body.data;
					const fresh = data.filter((e) => !seen.has(key(e)));
					if (fresh.length === 0) break;
					for (const e of fresh) {
						seen.add(key(e));
						collected.push(e);
					}
					fromtime = time(data[data.length - 1]);
				}
				expect(collected).toEqual(full);
			}
		}, 15_000);

		test('some transcript entries share a millisecond', () => {
			let shared = 0;
			for (const chat of sandbox.dataset.chats.slice(0, 100)) {
				const entries = (sandbox.dataset.transcriptOf(chat.chat_id) ?? []).slice(1) as Array<{ time: string }>;
				for (let i = 1; i < entries.length; i++) if (entries[i].time === entries[i - 1].time) shared++;
			}
			expect(shared).toBeGreaterThan(0);
		});
	});

	describe('visitors', () => {
		let sandbox: Sandbox;
		beforeAll(async () => {
			sandbox = await startSandbox({ chats: 10, visitors: 1_050, seed: 9, anchorTime: ANCHOR });
		});
		afterAll(() => sandbox.stop());

		async function pageView(viewId: string) {
			const pages: Array<{ startkey?: string; visitorlist: Visitor[] }> = [];
			let startkey: string | undefined;
			do {
				const query = startkey ? `?startkey=${encodeURIComponent(startkey)}` : '';
				const res = await api(sandbox, v1(sandbox, `/visitorsview/${viewId}/visitors${query}`));
				expect(res.status).toBe(200);
				pages.push(res.body.data);
				startkey = res.body.data.startkey;
			} while (startkey);
			return pages;
		}

		test('view -1 pages 100 at a time with startkey until the last page, covering every visitor once', async () => {
			const pages = await pageView('-1');
			expect(pages.map((p) => p.visitorlist.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
			expect(pages.slice(0, -1).every((p) => typeof p.startkey === 'string' && /^\d+-\d+$/.test(p.startkey))).toBe(true);
			expect(pages[pages.length - 1]).not.toHaveProperty('startkey');
			const visitors = pages.flatMap((p) => p.visitorlist);
			expect(new Set(visitors.map((v) => v.id)).size).toBe(1_050);
			expect(new Set(visitors.map((v) => v.id))).toEqual(new Set(sandbox.dataset.visitors.map((v) => v.id)));
			const times = visitors.map((v) => Number(v.lastvisit_time));
			expect(times).toEqual([...times].sort((a, b) => b - a));
			expect(visitors[0]).toEqual({
				id: expect.stringMatching(/^\d+$/),
				name: expect.any(String),
				email: expect.stringContaining('@'),
				user_uniqueid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
				lastvisit_time: expect.stringMatching(/^\d{13}$/),
				lastvisit_source: expect.any(String),
				lastcontacted_mode: expect.any(String),
				total_timespent: expect.stringMatching(/^\d+$/),
				leadscore: expect.stringMatching(/^\d+$/),
				country: expect.any(String),
				customer_info: expect.any(Object),
			});
		});

		test('view -2 returns a deterministic subset of returning visitors', async () => {
			const returning = (await pageView('-2')).flatMap((p) => p.visitorlist);
			expect(returning.length).toBeGreaterThan(100);
			expect(returning.length).toBeLessThan(1_050);
			expect(returning.map((v) => v.id)).toEqual(sandbox.dataset.visitorsInView('-2')?.map((v) => v.id));
		});

		test('an unknown view or a malformed startkey is 1011 with param', async () => {
			const view = await api(sandbox, v1(sandbox, '/visitorsview/123/visitors'));
			expect(view).toMatchObject({ status: 400, body: { error: { code: 1011, param: 'viewid' } } });
			for (const key of ['abc', '99999-5', '1-']) {
				const res = await api(sandbox, v1(sandbox, `/visitorsview/-1/visitors?startkey=${key}`));
				expect(res).toMatchObject({ status: 400, body: { error: { code: 1011, param: 'startkey' } } });
			}
		});
	});
});
