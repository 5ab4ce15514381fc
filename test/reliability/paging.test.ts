/**
 * Faults in the middle of paging, and data that changes while an export pages (cases PAG-*).
 * Most cases export 10,000 chats, 100 per page, and compare the result with the sandbox dataset
 * by chat_id.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import type { INodeParameters } from 'n8n-workflow';

import { credentialFor } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { caseTitle } from './cases';
import { apiRequests, finalChecks, installChecks, observe, outcome, runChecked } from './support';

installChecks();

/** The chat list, and nothing else (not /chats/<id>). */
const CHAT_LIST = '/\\/chats$/';
const PAGE_K = 37;

function listRequests(sb: Sandbox) {
	return apiRequests(sb).filter((r) => r.path.endsWith('/chats'));
}

/** Every id of `expected` exactly once, and nothing else. */
function expectExactlyOnce(ids: string[], expected: string[]) {
	expect(new Set(ids).size).toBe(ids.length);
	expect(ids.length).toBe(expected.length);
	const got = new Set(ids);
	expect(expected.filter((id) => !got.has(id))).toEqual([]);
}

/**
 * Holds the `n`th chat-list request for 250 ms and runs `action` meanwhile, so the page being
 * served already sees what `action` changed.
 */
function duringListRequest(sb: Sandbox, n: number, action: () => void): () => void {
	sb.inject({ kind: 'latency', ms: 250, match: CHAT_LIST, everyNth: n, times: 1 });
	let done = false;
	const timer = setInterval(() => {
		if (!done && listRequests(sb).length >= n) {
			done = true;
			action();
		}
	}, 2);
	return () => {
		clearInterval(timer);
		expect(done).toBe(true);
	};
}

const exportAll = (options: INodeParameters = {}): INodeParameters => ({ resource: 'chat', operation: 'getAll', returnAll: true, options });

describe('a fault at page 37 of a 10,000-chat export', () => {
	let sb: Sandbox;
	let all: string[];
	beforeAll(async () => {
		sb = await startSandbox({ port: 0, seed: 11, chats: 10_000, visitors: 10 });
		all = sb.dataset.chats.map((c) => c.chat_id);
	});
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	it.each([
		['PAG-01', { kind: 'status', status: 503 }],
		['PAG-02', { kind: 'reset' }],
		['PAG-03', { kind: 'throttle', retryAfter: 0 }],
	] as const)('%s: with retries, the export completes with every chat exactly once', async (id, fault) => {
		sb.inject({ ...fault, match: CHAT_LIST, everyNth: PAGE_K, times: 1 });
		const result = await runChecked({ parameters: exportAll(), credential: credentialFor(sb), label: id });
		observe(id, outcome(result, `${listRequests(sb).length} list requests; ${new Set(result.json.map((c) => c.chat_id)).size} distinct chats`));

		expect(result.error).toBeUndefined();
		expectExactlyOnce(result.json.map((c) => String(c.chat_id)), all);
		expect(sb.faults()).toEqual([]);
	});

	it(caseTitle('PAG-04'), async () => {
		sb.inject({ kind: 'status', status: 503, match: CHAT_LIST, everyNth: PAGE_K, times: 1 });
		const result = await runChecked({ parameters: exportAll({ retryOnServerErrors: false }), credential: credentialFor(sb), label: 'PAG-04' });
		observe('PAG-04', outcome(result, `${listRequests(sb).length} list requests`));

		expect(result.error?.name).toBe('NodeApiError');
		expect(`${result.error?.message} ${result.error?.description}`).toContain('HTTP 503');
		expect(result.items).toEqual([]);
		expect(listRequests(sb)).toHaveLength(PAGE_K);
	});

	it(caseTitle('PAG-05'), async () => {
		sb.inject({ kind: 'status', status: 503, match: CHAT_LIST, everyNth: PAGE_K, times: 1 });
		const result = await runChecked({
			parameters: exportAll({ retryOnServerErrors: false }),
			credential: credentialFor(sb),
			continueOnFail: true,
			label: 'PAG-05',
		});
		observe('PAG-05', `${result.items.length} item: ${JSON.stringify(result.json[0]).slice(0, 300)}`);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.json[0]).toMatchObject({ error: expect.any(String), httpCode: '503' });
		expect(result.json[0].chat_id).toBeUndefined();
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it(caseTitle('PAG-06'), async () => {
		// Page 36 is held for 250 ms; meanwhile a permanent 503 is switched on for every later page.
		const check = duringListRequest(sb, PAGE_K - 1, () => sb.inject({ kind: 'status', status: 503, match: CHAT_LIST }));
		const result = await runChecked({ parameters: exportAll(), credential: credentialFor(sb), label: 'PAG-06' });
		check();
		observe('PAG-06', outcome(result, `${listRequests(sb).length} list requests`));

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.description).toContain('The node tried 3 times.');
		expect(result.items).toEqual([]);
		expect(listRequests(sb)).toHaveLength(PAGE_K - 1 + 3);
	});

	it(caseTitle('PAG-07'), async () => {
		sb.inject({ kind: 'hang', match: CHAT_LIST, everyNth: PAGE_K, times: 1 });
		const started = Date.now();
		const result = await runChecked({ parameters: exportAll({ timeout: 300 }), credential: credentialFor(sb), label: 'PAG-07' });
		observe('PAG-07', outcome(result, `after ${Date.now() - started} ms`));

		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.error?.message).toBe('SalesIQ did not answer within 300 ms');
		expect(result.items).toEqual([]);
		expect(listRequests(sb)).toHaveLength(PAGE_K);
	});

	it(caseTitle('PAG-08'), async () => {
		sb.inject({ kind: 'malformed', match: CHAT_LIST, everyNth: PAGE_K, times: 1 });
		const result = await runChecked({ parameters: exportAll(), credential: credentialFor(sb), label: 'PAG-08' });
		observe('PAG-08', outcome(result));

		expect(result.error?.message).toBe('SalesIQ sent a response the node cannot read');
		expect(result.error?.description).toContain('not valid JSON');
		expect(result.items).toEqual([]);
	});
});

describe('data that changes while an export pages', () => {
	let sb: Sandbox;
	beforeEach(async () => {
		sb = await startSandbox({ port: 0, seed: 12, chats: 10_000, visitors: 10 });
	});
	afterEach(async () => await sb.stop());

	it(caseTitle('PAG-09'), async () => {
		const before = sb.dataset.chats.map((c) => c.chat_id);
		const added: string[] = [];
		const arrive = () => added.push(...sb.addChats(50, { spacingMs: 7 }).map((c) => c.chat_id));
		const checks = [duringListRequest(sb, 3, arrive), duringListRequest(sb, 40, arrive), duringListRequest(sb, 90, arrive)];
		const result = await runChecked({ parameters: exportAll(), credential: credentialFor(sb), label: 'PAG-09' });
		checks.forEach((check) => check());
		const ids = result.json.map((c) => String(c.chat_id));
		observe('PAG-09', outcome(result, `${added.length} chats arrived during the export; ${new Set(ids).size} distinct ids returned`));

		expect(result.error).toBeUndefined();
		expect(new Set(ids).size).toBe(ids.length);
		expectExactlyOnce(
			ids.filter((id) => !added.includes(id)),
			before,
		);
	});

	it(caseTitle('PAG-10'), async () => {
		const now = sb.now();
		const fromTime = now - 10 * 86_400_000;
		const toTime = now + 86_400_000;
		const inWindow = sb.dataset.chats.filter((c) => Number(c.chatinitiated_time) >= fromTime).map((c) => c.chat_id);
		const added: string[] = [];
		const arrive = () => added.push(...sb.addChats(30, { atTime: sb.now(), spacingMs: 11 }).map((c) => c.chat_id));
		const checks = [duringListRequest(sb, 2, arrive), duringListRequest(sb, 12, arrive)];
		const result = await runChecked({
			parameters: { ...exportAll(), filters: { fromTime: new Date(fromTime).toISOString(), toTime: new Date(toTime).toISOString() } },
			credential: credentialFor(sb),
			label: 'PAG-10',
		});
		checks.forEach((check) => check());
		const ids = result.json.map((c) => String(c.chat_id));
		observe('PAG-10', outcome(result, `${inWindow.length} chats in the window at the start, ${added.length} arrived during the export`));

		expect(result.error).toBeUndefined();
		expect(inWindow.length).toBeGreaterThan(1000);
		expect(new Set(ids).size).toBe(ids.length);
		expectExactlyOnce(
			ids.filter((id) => !added.includes(id)),
			inWindow,
		);
	});

	it(caseTitle('PAG-11'), async () => {
		const before = sb.dataset.chats.map((c) => c.chat_id);
		const added: string[] = [];
		// At page 20, new chats appear at exactly the millisecond the export has reached (its totime).
		const check = duringListRequest(sb, 20, () => {
			const edge = Number(listRequests(sb)[19].query.totime);
			added.push(...sb.addChats(5, { atTime: edge }).map((c) => c.chat_id));
		});
		const result = await runChecked({ parameters: exportAll(), credential: credentialFor(sb), label: 'PAG-11' });
		check();
		const ids = result.json.map((c) => String(c.chat_id));
		observe('PAG-11', outcome(result, `${added.length} chats arrived at the paging edge; ${ids.filter((id) => added.includes(id)).length} of them returned`));

		expect(result.error).toBeUndefined();
		expect(added).toHaveLength(5);
		expect(new Set(ids).size).toBe(ids.length);
		expectExactlyOnce(
			ids.filter((id) => !added.includes(id)),
			before,
		);
	});
});

describe('faults in the other paging styles', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await startSandbox({ port: 0, seed: 13, chats: 300, visitors: 250 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	it(caseTitle('PAG-12'), async () => {
		sb.inject({ kind: 'html', status: 502, match: '/visitorsview/', everyNth: 2, times: 1 });
		const result = await runChecked({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true },
			credential: credentialFor(sb),
			label: 'PAG-12',
		});
		observe('PAG-12', outcome(result, `${apiRequests(sb).length} requests`));

		expect(result.error).toBeUndefined();
		expectExactlyOnce(
			result.json.map((v) => String(v.id)),
			sb.dataset.visitorsInView('-1')!.map((v) => v.id),
		);
		expect(apiRequests(sb)).toHaveLength(4);
	});

	it(caseTitle('PAG-13'), async () => {
		const record = sb.dataset.chats
			.map((c) => sb.dataset.chatRecord(c.chat_id)!)
			.filter((r) => !r.missed)
			.sort((a, b) => b.messageCount - a.messageCount)[0];
		const messages = sb.dataset.transcriptOf(record.chat.chat_id)!.slice(1) as Array<{ time: string }>;
		sb.inject({ kind: 'status', status: 500, match: '/transcript', everyNth: 2, times: 1 });
		const result = await runChecked({
			parameters: { resource: 'transcript', operation: 'get', chatId: record.chat.chat_id, returnAll: true },
			credential: credentialFor(sb),
			label: 'PAG-13',
		});
		observe('PAG-13', outcome(result, `${apiRequests(sb).length} requests for ${messages.length} messages`));

		expect(result.error).toBeUndefined();
		expect(messages.length).toBeGreaterThan(150);
		expect(result.json.map((m) => String(m.time))).toEqual(messages.map((m) => m.time));
	});
});

finalChecks();
