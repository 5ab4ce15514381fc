import type { INode } from 'n8n-workflow';

import { isRecord, toIso } from '../shared/values';
import { transportError } from './errors';
import { ListBudget, MAX_PAGE_SIZE, notAnObject, type ListCap } from './listBudget';

export { entryHash, MAX_PAGE_SIZE, RETURN_ALL_MAX_ENTRIES, RETURN_ALL_MAX_REQUESTS, type ListCap } from './listBudget';
export { startKeyPages, type StartKeyPage } from './startKeyPaging';

/**
 * Zoho's documented default page size. A server cap below it is implausible, so a shorter page
 * than asked for that is also below this size means the window is exhausted.
 */
const DOCUMENTED_DEFAULT_PAGE = 50;


/** An epoch-ms time as ISO text, or as the number when it is past the largest date. */
function isoOrRaw(ms: number): string {
	return toIso(ms) ?? String(ms);
}

export interface TimeWindowOptions<T> {
	node: INode;
	itemIndex: number;
	/**
	 * newestFirst (chat list): pages move `totime` down to the oldest time seen.
	 * oldestFirst (transcript): pages move `fromtime` up to the newest time seen.
	 */
	order: 'newestFirst' | 'oldestFirst';
	fromTime?: number;
	toTime?: number;
	/** Entries wanted; undefined means all. */
	limit?: number;
	/** Sends one request for at most `limit` entries in [fromtime, totime]. */
	fetchPage: (limit: number, fromTime: number | undefined, toTime: number | undefined) => Promise<T[]>;
	timeOf: (entry: T) => number | undefined;
	/** Identity of an entry, to drop the ones a window edge returns again. */
	keyOf: (entry: T) => string;
	/** Entries that count toward `limit` (the transcript header does not). Default: all. */
	counts?: (entry: T) => boolean;
	/** Uncounted entries the first page is expected to hold (the transcript header). */
	firstPageExtra?: number;
	/** Name for error messages, such as "chats". */
	noun: string;
	/** The safety cap; the Return All cap unless a test sets a smaller one. */
	cap?: ListCap;
	/** Largest page to ask for. Default 100 (v1 clamps there). */
	maxPageSize?: number;
	/** The endpoint's documented default page size (default 50, v1's); see timeWindowPages. */
	documentedDefaultPage?: number;
	/**
	 * Milliseconds by which the moving bound is sent wider than the edge (default 0), for an
	 * endpoint that does not document whether its bound is inclusive: with 1, an exclusive bound
	 * still includes the edge. Entries within the slack were on earlier pages and are skipped.
	 */
	boundSlackMs?: number;
}

/**
 * Time-window paging (docs/ZOHO-API.md, Paging). There is no cursor: the next window
 * starts at the edge time of the last page, inclusive, so the entries at that millisecond come
 * back and are dropped by key. Only the keys at the current edge are remembered, so memory does not
 * grow with the list. The list has ended when a page brings nothing new.
 *
 * Page sizes are as small as they can be: with a limit, a page asks for what is still needed plus
 * the entries at the edge that will come back again, capped at 100 (or `maxPageSize`). A page
 * shorter than asked for ends the list without one more request, but only when it cannot be a
 * server-side cap: it is below the endpoint's documented default page size (v1: 50), or an earlier
 * page of the same list was longer.
 */
export async function* timeWindowPages<T>(options: TimeWindowOptions<T>): AsyncGenerator<T[]> {
	const newestFirst = options.order === 'newestFirst';
	const counts = options.counts ?? (() => true);
	let from = options.fromTime;
	let to = options.toTime;
	let remaining = options.limit;
	let edge: number | undefined;
	let seenAtEdge = new Map<string, number>();
	let first = true;
	let longestPage = 0;
	const budget = new ListBudget(options.node, options.itemIndex, options.noun, options.cap);
	const maxPageSize = options.maxPageSize ?? MAX_PAGE_SIZE;
	const defaultPage = options.documentedDefaultPage ?? DOCUMENTED_DEFAULT_PAGE;
	const slack = options.boundSlackMs ?? 0;

	while (remaining === undefined || remaining > 0) {
		const repeats = [...seenAtEdge.values()].reduce((sum, n) => sum + n, 0);
		const wanted = remaining === undefined ? maxPageSize : remaining + repeats + (first ? options.firstPageExtra ?? 0 : 0);
		const pageSize = Math.min(maxPageSize, wanted);
		budget.request();
		const sentFrom = from !== undefined && !newestFirst && edge !== undefined ? from - slack : from;
		const sentTo = to !== undefined && newestFirst && edge !== undefined ? to + slack : to;
		const page = await options.fetchPage(pageSize, sentFrom, sentTo);
		if (!Array.isArray(page)) {
			throw transportError(options.node, `SalesIQ sent an unexpected page of ${options.noun}`, 'The "data" of a page was not a list.', {
				itemIndex: options.itemIndex,
				reason: 'malformed',
			});
		}
		first = false;

		const fresh: T[] = [];
		const stillUnmatched = new Map(seenAtEdge);
		let pageEdge = edge;
		/** Entries on the near side of the window (a server that ignored it). */
		let outside = 0;
		/** An entry past the far end of the window: the list is complete. */
		let pastWindow = false;
		for (const entry of page) {
			if (!isRecord(entry)) throw notAnObject(options.node, options.itemIndex, options.noun);
			const time = options.timeOf(entry);
			if (time === undefined || !Number.isFinite(time)) {
				throw transportError(
					options.node,
					`SalesIQ sent one of the ${options.noun} without a time`,
					'The list cannot be paged safely without it, so the node stops instead of returning a partial list.',
					{ itemIndex: options.itemIndex, reason: 'malformed' },
				);
			}
			// Outside the window: SalesIQ ignored it. Past its far end (older than From Time when
			// paging newest first), everything after is too, so the list is complete; on the near side
			// the entry was seen before, or belongs after To Time (before From Time): never new.
			const beforeFrom = from !== undefined && time < from;
			const afterTo = to !== undefined && time > to;
			// Within the slack beyond the edge: on an earlier page.
			if (edge !== undefined && slack > 0 && (newestFirst ? afterTo && time <= edge + slack : beforeFrom && time >= edge - slack)) continue;
			if (beforeFrom || afterTo) {
				if (newestFirst ? beforeFrom : afterTo) pastWindow = true;
				else outside++;
				continue;
			}
			if (time === edge) {
				const key = options.keyOf(entry);
				const left = stillUnmatched.get(key) ?? 0;
				if (left > 0) {
					stillUnmatched.set(key, left - 1);
					continue;
				}
			}
			fresh.push(entry);
			if (pageEdge === undefined || (newestFirst ? time < pageEdge : time > pageEdge)) pageEdge = time;
		}

		if (fresh.length === 0) {
			if (outside > 0) {
				throw transportError(
					options.node,
					`SalesIQ ignored the time range while listing ${options.noun}`,
					`${outside} of the ${page.length} ${options.noun} on the last page were outside the range the node asked for, and none was new. The node stops instead of paging without end or returning a partial list. Try again later, or narrow the time range.`,
					{ itemIndex: options.itemIndex, reason: 'paging' },
				);
			}
			// A full page of repeats at one millisecond: more entries share it than a page can hold.
			if (page.length >= pageSize && edge !== undefined && !pastWindow) {
				throw transportError(
					options.node,
					`More than ${maxPageSize} ${options.noun} share the time ${isoOrRaw(edge)}`,
					'SalesIQ pages by time only, so the node cannot read past them without losing some. Narrow the time range.',
					{ itemIndex: options.itemIndex, reason: 'paging' },
				);
			}
			return;
		}

		let emitted = fresh;
		if (remaining !== undefined) {
			let countable = 0;
			let cut = fresh.length;
			for (let i = 0; i < fresh.length; i++) {
				if (counts(fresh[i])) countable++;
				if (countable === remaining) {
					cut = i + 1;
					break;
				}
			}
			emitted = cut < fresh.length ? fresh.slice(0, cut) : fresh;
			remaining -= Math.min(countable, remaining);
		}

		// Remember the keys at the new edge; if the edge did not move, keep the old ones too.
		const nextSeen = pageEdge === edge ? seenAtEdge : new Map<string, number>();
		for (const entry of fresh) {
			if (options.timeOf(entry) === pageEdge) {
				const key = options.keyOf(entry);
				nextSeen.set(key, (nextSeen.get(key) ?? 0) + 1);
			}
		}
		// At most a page of entries can share one millisecond with a server that pages by time; more
		// means SalesIQ keeps sending new ones for it, which no page can get past.
		if (nextSeen.size > MAX_PAGE_SIZE && pageEdge !== undefined) {
			throw transportError(
				options.node,
				`More than ${MAX_PAGE_SIZE} ${options.noun} share the time ${isoOrRaw(pageEdge)}`,
				`SalesIQ sent ${nextSeen.size} different ${options.noun} for that one millisecond. It pages by time only, so the node cannot read past them without losing some, and stops. Narrow the time range.`,
				{ itemIndex: options.itemIndex, reason: 'paging' },
			);
		}
		seenAtEdge = nextSeen;
		edge = pageEdge;
		if (newestFirst) to = edge;
		else from = edge;

		budget.add(emitted.length);
		yield emitted;
		if (pastWindow) return;

		const exhausted = page.length < pageSize && (page.length < defaultPage || page.length < longestPage);
		if (exhausted) return;
		longestPage = Math.max(longestPage, page.length);
	}
}
