/**
 * Paging that never ends (PAG-14 to PAG-18): servers that keep sending pages. Every list must end
 * when a page brings nothing new, keep its memory flat whatever the server does, and stop at the
 * documented Return All cap with a clear error. Each hostile server gives up by itself after
 * GIVE_UP requests, so that a node that loops cannot hang the suite.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import type { INode } from 'n8n-workflow';

import { RETURN_ALL_MAX_ENTRIES, RETURN_ALL_MAX_REQUESTS, startKeyPages, timeWindowPages } from '../../nodes/ZohoSalesIq/transport/paging';
import { caseTitle } from './cases';
import { answer, heapMb, startHostileApi, type HostileApi, type HostileHandler } from './hostile';
import { finalChecks, installChecks, observe, outcome, runChecked } from './support';

installChecks();

const GIVE_UP = 3000;
const BASE = Date.UTC(2026, 10, 1, 12, 0, 0);

let api: HostileApi | undefined;
afterEach(async () => {
	await api?.close();
	api = undefined;
});

/** A hostile API that answers `handler` for its first GIVE_UP requests, then an empty page. */
async function endless(handler: (n: number, url: URL) => unknown): Promise<HostileApi> {
	const serve: HostileHandler = (req, res, self) => {
		const n = self.apiRequests().length;
		const url = new URL(req.url ?? '/', 'http://x');
		answer(res, 200, { data: n > GIVE_UP ? (url.pathname.includes('visitors') ? { visitorlist: [] } : []) : handler(n, url) });
	};
	api = await startHostileApi({ api: serve });
	return api;
}

const chat = (id: number | string, time: number) => ({ chat_id: String(id), chatinitiated_time: String(time), question: `Question ${id}` });

async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; heapGrowthMb: number }> {
	const before = heapMb();
	const started = Date.now();
	const result = await work();
	return { result, ms: Date.now() - started, heapGrowthMb: Math.round((heapMb() - before) * 10) / 10 };
}

describe('lists that never end', () => {
	it(caseTitle('PAG-14'), async () => {
		const visitors = Array.from({ length: 100 }, (_, i) => ({ id: `v${i}`, name: `Visitor ${i}` }));
		const s = await endless((n) => ({ startkey: `key-${n}`, visitorlist: visitors }));
		const { result, ms, heapGrowthMb } = await measured(() =>
			runChecked({ parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true }, credential: s.credential(), label: 'PAG-14' }),
		);
		observe('PAG-14', outcome(result, `${s.apiRequests().length} requests in ${ms} ms; heap ${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb} MB`));

		expect(result.error).toBeUndefined();
		expect(result.json.map((v) => v.id)).toEqual(visitors.map((v) => v.id));
		expect(s.apiRequests()).toHaveLength(2);
	});

	it(caseTitle('PAG-15'), async () => {
		let next = 0;
		const s = await endless(() => Array.from({ length: 100 }, () => chat(++next, BASE)));
		const { result, ms, heapGrowthMb } = await measured(() =>
			runChecked({ parameters: { resource: 'chat', operation: 'getAll', returnAll: true }, credential: s.credential(), label: 'PAG-15' }),
		);
		observe('PAG-15', outcome(result, `${s.apiRequests().length} requests in ${ms} ms; heap ${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb} MB`));

		expect(result.error?.message).toBe(`More than 100 chats share the time ${new Date(BASE).toISOString()}`);
		expect(result.error?.description).toContain('SalesIQ sent 200 different chats for that one millisecond');
		expect(result.items).toEqual([]);
		// The third request sends the window the other way round: an answer of one instant fits both readings.
		expect(s.apiRequests()).toHaveLength(3);
	});

	it(caseTitle('PAG-16'), async () => {
		// Every request brings the next 100 chats, one second apart, older and older, whatever the window.
		let next = 0;
		const s = await endless(() => Array.from({ length: 100 }, () => chat(++next, BASE - next * 1000)));
		const fromTime = BASE - 250 * 1000;
		const { result, ms } = await measured(() =>
			runChecked({
				parameters: { resource: 'chat', operation: 'getAll', returnAll: true, filters: { fromTime: new Date(fromTime).toISOString() } },
				credential: s.credential(),
				label: 'PAG-16',
			}),
		);
		observe('PAG-16', outcome(result, `${s.apiRequests().length} requests in ${ms} ms`));

		expect(result.error).toBeUndefined();
		expect(result.json.map((c) => c.chat_id)).toEqual(Array.from({ length: 250 }, (_, i) => String(i + 1)));
		expect(s.apiRequests()).toHaveLength(3);
	});

	it(caseTitle('PAG-17'), async () => {
		const newest = Array.from({ length: 100 }, (_, i) => chat(i + 1, BASE - i));
		const s = await endless(() => newest);
		const toTime = BASE - 200_000;
		const result = await runChecked({
			parameters: { resource: 'chat', operation: 'getAll', returnAll: true, filters: { toTime: new Date(toTime).toISOString() } },
			credential: s.credential(),
			label: 'PAG-17',
		});
		observe('PAG-17', outcome(result, `${s.apiRequests().length} request(s)`));

		expect(result.error?.message).toBe('SalesIQ ignored the time range while listing chats');
		expect(result.error?.description).toContain('chats outside the range came back (100 on the last page)');
		expect(result.items).toEqual([]);
		// The second request sends the range the other way round: Zoho's pages and its example disagree on it.
		expect(s.apiRequests()).toHaveLength(2);
	});
});

describe('the Return All safety cap', () => {
	const node = { name: 'Zoho SalesIQ' } as INode;
	/** The node's cap is 1,000,000 entries or 20,000 requests; the same mechanism is run here with a smaller one. */
	const cap = { entries: 50_000, requests: 2_000 };

	it(caseTitle('PAG-18', 'the documented cap: 1,000,000 entries or 20,000 requests per item'), () => {
		expect([RETURN_ALL_MAX_ENTRIES, RETURN_ALL_MAX_REQUESTS]).toEqual([1_000_000, 20_000]);
	});

	it(caseTitle('PAG-18', 'time-window paging: an endless list of ever older chats stops at the entry cap'), async () => {
		let time = BASE;
		let id = 0;
		let requests = 0;
		let entries = 0;
		const before = heapMb();
		const pages = timeWindowPages<Record<string, unknown>>({
			node,
			itemIndex: 0,
			order: 'newestFirst',
			noun: 'chats',
			timeOf: (c) => Number(c.chatinitiated_time),
			keyOf: (c) => String(c.chat_id),
			cap,
			fetchPage: async (size) => {
				requests++;
				return Array.from({ length: size }, () => chat(++id, --time));
			},
		});
		const error = await (async () => {
			for await (const page of pages) entries += page.length;
		})().catch((e: Error) => e);
		const growth = Math.round((heapMb() - before) * 10) / 10;
		observe('PAG-18', `time-window: "${(error as Error)?.message}" after ${entries.toLocaleString('en-US')} entries and ${requests.toLocaleString('en-US')} requests; heap ${growth >= 0 ? '+' : ''}${growth} MB`);

		expect((error as Error)?.message).toBe('The list of chats reached the safety cap of 50,000 chats for one input item');
		expect(entries).toBe(cap.entries);
		expect(requests).toBe(cap.entries / 100 + 1);
	});

	it(caseTitle('PAG-18', 'startkey paging: one new visitor per page stops at the request cap'), async () => {
		let requests = 0;
		let entries = 0;
		const pages = startKeyPages<Record<string, unknown>>({
			node,
			itemIndex: 0,
			noun: 'visitors',
			cap,
			fetchPage: async () => {
				requests++;
				return { entries: [{ id: `v${requests}` }], nextKey: `key-${requests}` };
			},
		});
		const error = await (async () => {
			for await (const page of pages) entries += page.length;
		})().catch((e: Error) => e);
		observe('PAG-18', `startkey: "${(error as Error)?.message}" after ${entries.toLocaleString('en-US')} entries and ${requests.toLocaleString('en-US')} requests`);

		expect((error as Error)?.message).toBe('The list of visitors reached the safety cap of 2,000 requests for one input item');
		expect(requests).toBe(cap.requests);
		expect(entries).toBe(cap.requests);
	});
});

finalChecks();
