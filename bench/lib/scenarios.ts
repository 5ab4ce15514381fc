/**
 * The benchmark scenarios of issue #8, the work each one hands to every contender, and what the
 * dataset says the result and the minimum number of requests must be.
 */
import type { Dataset } from '../../test/sandbox';
import { PAGE } from './paging';
import type { WorkSpec } from './work';

export interface Scenario {
	id: string;
	title: string;
	/** Unit of `units` (and of items per second). */
	unit: string;
	/** Part of the export goal (ratio ≤ 1.25 at 0 ms, ≤ 1.05 at 20 ms). */
	export: boolean;
	work: WorkSpec;
	warmup: WorkSpec;
	expected: { units: number; uniqueKeys?: number; bytes?: number };
	/** The fewest requests any correct client can make for this work (see minimum.ts and BENCHMARKS.md). */
	minimumRequests: number;
	/** How the minimum is made up, for the report. */
	minimumRule: string;
}

export const DATASET = { seed: 'bench-8', chats: 10_000, visitors: 10_000, anchorTime: Date.UTC(2026, 0, 15) };
export const TRANSCRIPT_CHATS = 1_000;
export const ATTACHMENT_FILES = 200;
export const CHAT_LIMIT = 137;

/** Minimum requests to list `want` entries of a time-paged list (docs/ZOHO-API.md, Paging); `times` in list order. */
export function timeWindowMinimum(times: readonly number[], want = Number.POSITIVE_INFINITY): { requests: number; got: number } {
	let pos = 0;
	let overlap = 0;
	let got = 0;
	let requests = 0;
	for (;;) {
		const size = Math.min(PAGE, want - got + overlap);
		const start = pos - overlap;
		const page = Math.min(size, times.length - start);
		requests++;
		const fresh = page - overlap;
		got += Math.min(fresh, want - got);
		pos = start + page;
		if (fresh <= 0 || page < size || got >= want) return { requests, got };
		overlap = 0;
		for (let i = pos - 1; i >= 0 && times[i] === times[pos - 1]; i--) overlap++;
	}
}

/**
 * Items the node reads at once for per-item operations, taken from the node itself. The bare client and
 * the helper-only node use the same number, so that all three make the same requests in the same pattern.
 */
import { ITEM_CONCURRENCY } from '../../nodes/ZohoSalesIq/actions/router';

export { ITEM_CONCURRENCY };

export function buildScenarios(dataset: Dataset, itemConcurrency = ITEM_CONCURRENCY): Scenario[] {
	const chatTimes = dataset.chats.map((c) => Number(c.chatinitiated_time));
	const all = timeWindowMinimum(chatTimes);
	const limited = timeWindowMinimum(chatTimes, CHAT_LIMIT);

	const transcriptChats = dataset.chats.filter((c) => !c.missed_time).slice(0, TRANSCRIPT_CHATS);
	let transcriptMessages = 0;
	let transcriptRequests = 0;
	let multiPage = 0;
	for (const chat of transcriptChats) {
		const entries = dataset.transcriptOf(chat.chat_id) ?? [];
		transcriptMessages += entries.length - 1;
		const times = entries.map((e) => Number('time' in e ? e.time : e.chatinitiated_time));
		const { requests } = timeWindowMinimum(times);
		transcriptRequests += requests;
		if (requests > 1) multiPage++;
	}

	const files = [...dataset.attachments.values()].slice(0, ATTACHMENT_FILES);
	const attachmentInput = files.map((f) => ({ chatId: f.chatId, attachmentUrl: f.url }));
	const transcriptInput = transcriptChats.map((c) => ({ chatId: c.chat_id }));
	const visitors = dataset.visitorsInView('-1')?.length ?? 0;

	return [
		{
			id: 'chats-all',
			title: `Chat Get Many, Return All (${dataset.chats.length.toLocaleString('en-US')} chats)`,
			unit: 'chats',
			export: true,
			work: { kind: 'chats' },
			warmup: { kind: 'chats', limit: 250 },
			expected: { units: dataset.chats.length, uniqueKeys: dataset.chats.length },
			minimumRequests: all.requests,
			minimumRule: `pages of ${PAGE}; each later page re-delivers the chats of the previous page's oldest millisecond; the last page is short or brings nothing new`,
		},
		{
			id: 'transcripts',
			title: `Transcript Get, Return All, for ${transcriptChats.length.toLocaleString('en-US')} chats (${transcriptChats.length.toLocaleString('en-US')} input items)`,
			unit: 'messages',
			export: true,
			work: { kind: 'transcripts', input: transcriptInput, concurrency: itemConcurrency },
			warmup: { kind: 'transcripts', input: transcriptInput.slice(0, 20), concurrency: itemConcurrency },
			expected: { units: transcriptMessages },
			minimumRequests: transcriptRequests,
			minimumRule: `one request per chat whose transcript fits a page of ${PAGE} (header included); ${multiPage} longer ones page by fromtime`,
		},
		{
			id: 'visitors-all',
			title: `Visitor Get Many, Return All (${visitors.toLocaleString('en-US')} visitors)`,
			unit: 'visitors',
			export: true,
			work: { kind: 'visitors', viewId: '-1' },
			warmup: { kind: 'visitors', viewId: '-1', limit: 250 },
			expected: { units: visitors, uniqueKeys: visitors },
			minimumRequests: Math.max(1, Math.ceil(visitors / PAGE)),
			minimumRule: `${PAGE} visitors per page, follow startkey until a page has none`,
		},
		{
			id: 'chats-limit',
			title: `Chat Get Many, Limit ${CHAT_LIMIT} (of ${dataset.chats.length.toLocaleString('en-US')} chats)`,
			unit: 'chats',
			export: false,
			work: { kind: 'chats', limit: CHAT_LIMIT },
			warmup: { kind: 'chats', limit: CHAT_LIMIT },
			expected: { units: CHAT_LIMIT, uniqueKeys: CHAT_LIMIT },
			minimumRequests: limited.requests,
			minimumRule: `${PAGE}, then what is still needed plus the re-delivered edge chats`,
		},
		{
			id: 'attachments',
			title: `Attachment Download, ${files.length} files (${files.length} input items)`,
			unit: 'files',
			export: true,
			work: { kind: 'attachments', input: attachmentInput, concurrency: itemConcurrency },
			warmup: { kind: 'attachments', input: attachmentInput.slice(0, 10), concurrency: itemConcurrency },
			expected: { units: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0) },
			minimumRequests: 2 * files.length,
			minimumRule: 'per file: the attachment call for the link, then the token-free download',
		},
	];
}
