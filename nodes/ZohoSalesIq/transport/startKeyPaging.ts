import type { INode } from 'n8n-workflow';

import { isRecord } from '../shared/values';
import { transportError } from './errors';
import { entryHash, ListBudget, MAX_PAGE_SIZE, notAnObject, type ListCap } from './listBudget';

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
