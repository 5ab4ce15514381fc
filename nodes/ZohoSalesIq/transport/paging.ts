import { createHash } from 'node:crypto';

import type { INode } from 'n8n-workflow';

import { transportError } from './errors';
import { isRecord } from '../shared/values';

/** SalesIQ v1 clamps `limit` to 100; asking for more gains nothing. */
export const MAX_PAGE_SIZE = 100;

/**
 * The Return All safety cap, per input item: whatever a server does, a list ends with a clear
 * error after this many entries or requests, never with a silently short list and never without end.
 */
export const RETURN_ALL_MAX_ENTRIES = 1_000_000;
export const RETURN_ALL_MAX_REQUESTS = 20_000;

/** Counts what one list has cost so far and stops it at the safety cap. */
export interface ListCap {
	entries: number;
	requests: number;
}

const RETURN_ALL_CAP: ListCap = { entries: RETURN_ALL_MAX_ENTRIES, requests: RETURN_ALL_MAX_REQUESTS };

class ListBudget {
	private requests = 0;
	private entries = 0;

	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
		private readonly noun: string,
		private readonly cap: ListCap = RETURN_ALL_CAP,
	) {}

	/** Before each request. */
	request(): void {
		if (++this.requests > this.cap.requests) this.stop(`${this.cap.requests.toLocaleString('en-US')} requests`);
	}

	/** For each page of new entries. */
	add(count: number): void {
		this.entries += count;
		if (this.entries > this.cap.entries) this.stop(`${this.cap.entries.toLocaleString('en-US')} ${this.noun}`);
	}

	private stop(what: string): never {
		throw transportError(
			this.node,
			`The list of ${this.noun} reached the safety cap of ${what} for one input item`,
			`SalesIQ kept sending more. The node stops at ${this.cap.entries.toLocaleString('en-US')} entries or ${this.cap.requests.toLocaleString('en-US')} requests per input item instead of returning a partial list or running without end. Narrow the request (a time range), or split it into several items.`,
			{ itemIndex: this.itemIndex, reason: 'paging' },
		);
	}
}

/** A short stable identity of an entry without an id of its own. */
export function entryHash(entry: unknown): string {
	return createHash('sha256').update(JSON.stringify(entry) ?? '').digest('base64url').slice(0, 22);
}

/**
 * Zoho's documented default page size. A server cap below it is implausible, so a shorter page
 * than asked for that is also below this size means the window is exhausted.
 */
const DOCUMENTED_DEFAULT_PAGE = 50;

/** A page whose entries are not JSON objects: never turned into items. */
function notAnObject(node: INode, itemIndex: number, noun: string) {
	return transportError(node, `SalesIQ sent an unexpected page of ${noun}`, 'An entry of the page was not a JSON object.', {
		itemIndex,
		reason: 'malformed',
	});
}

/** An epoch-ms time as ISO text, or as the number when it is past the largest date. */
function isoOrRaw(ms: number): string {
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
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

export interface StartKeyPage<T> {
	entries: T[];
	nextKey?: string;
}

/** Pages whose keys startKeyPages remembers to recognize entries a server sends again. */
const REMEMBERED_PAGES = 10;

/**
 * `startkey` paging: follow `startkey` until a page has none, brings nothing new, or the limit is
 * met. Entries are recognized by `keyOf` (default: a hash of the entry); only the keys of the last
 * REMEMBERED_PAGES pages are kept, so memory stays flat, and the safety cap ends any loop.
 */
export async function* startKeyPages<T>(options: {
	node: INode;
	itemIndex: number;
	limit?: number;
	fetchPage: (startKey: string | undefined) => Promise<StartKeyPage<T>>;
	keyOf?: (entry: T) => string;
	noun: string;
	cap?: ListCap;
}): AsyncGenerator<T[]> {
	const keyOf = options.keyOf ?? entryHash;
	let remaining = options.limit;
	let key: string | undefined;
	const usedKeys = new Set<string>();
	const recent: Array<Set<string>> = [];
	const budget = new ListBudget(options.node, options.itemIndex, options.noun, options.cap);
	while (remaining === undefined || remaining > 0) {
		budget.request();
		const page = await options.fetchPage(key);
		if (!page.entries.every(isRecord)) throw notAnObject(options.node, options.itemIndex, options.noun);
		const keys = new Set<string>();
		let entries = page.entries.filter((entry) => {
			const k = keyOf(entry);
			if (keys.has(k) || recent.some((seen) => seen.has(k))) return false;
			keys.add(k);
			return true;
		});
		if (entries.length === 0) return;
		recent.push(keys);
		if (recent.length > REMEMBERED_PAGES) recent.shift();
		if (remaining !== undefined) {
			if (entries.length > remaining) entries = entries.slice(0, remaining);
			remaining -= entries.length;
		}
		budget.add(entries.length);
		yield entries;
		if (!page.nextKey) return;
		if (usedKeys.has(page.nextKey)) {
			throw transportError(
				options.node,
				`SalesIQ returned the same page key twice while listing ${options.noun}`,
				'The node stops instead of looping or returning a partial list. Try again later.',
				{ itemIndex: options.itemIndex, reason: 'paging' },
			);
		}
		usedKeys.add(page.nextKey);
		if (usedKeys.size > REMEMBERED_PAGES * MAX_PAGE_SIZE) usedKeys.delete(usedKeys.values().next().value as string);
		key = page.nextKey;
	}
}
