import type { INode } from 'n8n-workflow';

import { transportError } from './errors';

/** SalesIQ v1 clamps `limit` to 100; asking for more gains nothing. */
export const MAX_PAGE_SIZE = 100;

/**
 * Zoho's documented default page size. A server cap below it is implausible, so a shorter page
 * than asked for that is also below this size means the window is exhausted.
 */
const DOCUMENTED_DEFAULT_PAGE = 50;

function isRecord(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A page whose entries are not JSON objects: never turned into items. */
function notAnObject(node: INode, itemIndex: number, noun: string) {
	return transportError(node, `SalesIQ sent an unexpected page of ${noun}`, 'An entry of the page was not a JSON object.', {
		itemIndex,
		reason: 'malformed',
	});
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
}

/**
 * Time-window paging (salesiq-api.md, Decisions 4 and 5). There is no cursor: the next window
 * starts at the edge time of the last page, inclusive, so the entries at that millisecond come
 * back and are dropped by key. Only the keys at the current edge are remembered, so memory does not
 * grow with the list. The list has ended when a page brings nothing new.
 *
 * Page sizes are as small as they can be: with a limit, a page asks for what is still needed plus
 * the entries at the edge that will come back again, capped at 100. A page shorter than asked for
 * ends the list without one more request, but only when it cannot be a server-side cap: it is
 * below Zoho's default page size (50), or an earlier page of the same list was longer.
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

	while (remaining === undefined || remaining > 0) {
		const repeats = [...seenAtEdge.values()].reduce((sum, n) => sum + n, 0);
		const wanted = remaining === undefined ? MAX_PAGE_SIZE : remaining + repeats + (first ? options.firstPageExtra ?? 0 : 0);
		const pageSize = Math.min(MAX_PAGE_SIZE, wanted);
		const page = await options.fetchPage(pageSize, from, to);
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
			// Outside the window: a server that ignored the window; never new.
			if ((from !== undefined && time < from) || (to !== undefined && time > to)) continue;
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
			// A full page of repeats at one millisecond: more entries share it than a page can hold.
			if (page.length >= pageSize && edge !== undefined) {
				throw transportError(
					options.node,
					`More than ${MAX_PAGE_SIZE} ${options.noun} share the time ${new Date(edge).toISOString()}`,
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
		seenAtEdge = nextSeen;
		edge = pageEdge;
		if (newestFirst) to = edge;
		else from = edge;

		yield emitted;

		const exhausted = page.length < pageSize && (page.length < DOCUMENTED_DEFAULT_PAGE || page.length < longestPage);
		if (exhausted) return;
		longestPage = Math.max(longestPage, page.length);
	}
}

export interface StartKeyPage<T> {
	entries: T[];
	nextKey?: string;
}

/** `startkey` paging (Decision 7): follow `startkey` until a page has none, or the limit is met. */
export async function* startKeyPages<T>(options: {
	node: INode;
	itemIndex: number;
	limit?: number;
	fetchPage: (startKey: string | undefined) => Promise<StartKeyPage<T>>;
	noun: string;
}): AsyncGenerator<T[]> {
	let remaining = options.limit;
	let key: string | undefined;
	const usedKeys = new Set<string>();
	while (remaining === undefined || remaining > 0) {
		const page = await options.fetchPage(key);
		if (!page.entries.every(isRecord)) throw notAnObject(options.node, options.itemIndex, options.noun);
		let entries = page.entries;
		if (remaining !== undefined) {
			if (entries.length > remaining) entries = entries.slice(0, remaining);
			remaining -= entries.length;
		}
		if (entries.length > 0) yield entries;
		if (!page.nextKey || page.entries.length === 0) return;
		if (usedKeys.has(page.nextKey)) {
			throw transportError(
				options.node,
				`SalesIQ returned the same page key twice while listing ${options.noun}`,
				'The node stops instead of looping or returning a partial list. Try again later.',
				{ itemIndex: options.itemIndex, reason: 'paging' },
			);
		}
		usedKeys.add(page.nextKey);
		key = page.nextKey;
	}
}
