import { createHash } from 'node:crypto';

import type { INode } from 'n8n-workflow';

import { transportError } from './errors';

// What every pager shares: the page size, the safety cap of one list, entry identities.

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

/** Counts the requests and entries of one list and stops it at the safety cap. */
export class ListBudget {
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

/** A page whose entries are not JSON objects: never turned into items. */
export function notAnObject(node: INode, itemIndex: number, noun: string) {
	return transportError(node, `SalesIQ sent an unexpected page of ${noun}`, 'An entry of the page was not a JSON object.', {
		itemIndex,
		reason: 'malformed',
	});
}
