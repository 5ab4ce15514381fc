import type { IDataObject, INode } from 'n8n-workflow';

import { transportError } from './errors';

/**
 * How v1 `fromtime` and `totime` bound the chat list and the transcript. Zoho's pages say
 * `fromtime` is the lower bound and `totime` the upper ("prose"); Zoho's own example passes
 * `fromtime` greater than `totime` ("example": a scan from `fromtime` back to `totime`). The node
 * is right under both: it learns the reading from the answers of one list.
 *
 * A request for the window W = [lower, upper] under one reading asks, under the other, for the
 * mirror M = [upper, lower] (a missing bound stays open). An entry in W but not in M proves the
 * reading; an entry outside W disproves it. Only entries in both (or none) leave it open: then
 * the request is sent once more the other way, and that settles it, or both answers agree (the
 * window holds only entries of W∩M), so either is right. Either way a list costs at most one extra
 * request, and the node never loops; if the answers fit neither reading it stops with an error.
 * A reading learnt is remembered per API origin, so later lists (the next poll, the next item's
 * transcript) start with it and pay nothing; an answer that disproves it is caught all the same.
 */
export type TimeReading = 'prose' | 'example';

const OTHER: Record<TimeReading, TimeReading> = { prose: 'example', example: 'prose' };

/** Readings learnt, by API origin; bounded, oldest dropped first. */
const learnt = new Map<string, TimeReading>();
const LEARNT_ENTRIES = 50;

function remember(origin: string, reading: TimeReading): void {
	learnt.delete(origin);
	learnt.set(origin, reading);
	while (learnt.size > LEARNT_ENTRIES) learnt.delete(learnt.keys().next().value as string);
}

/** The query for the inclusive window [lower, upper] under a reading. */
export function boundsQuery(reading: TimeReading, lower: number | undefined, upper: number | undefined): IDataObject {
	const [fromtime, totime] = reading === 'prose' ? [lower, upper] : [upper, lower];
	const qs: IDataObject = {};
	if (fromtime !== undefined) qs.fromtime = fromtime;
	if (totime !== undefined) qs.totime = totime;
	return qs;
}

function within(time: number | undefined, low: number | undefined, high: number | undefined): boolean {
	return time !== undefined && Number.isFinite(time) && (low === undefined || time >= low) && (high === undefined || time <= high);
}

export interface TimeBoundsOptions<T> {
	node: INode;
	itemIndex: number;
	noun: string;
	timeOf: (entry: T) => number | undefined;
	/** Sends one request with this query (`fromtime`/`totime` plus the page's own parameters). */
	send: (qs: IDataObject) => Promise<T[]>;
	/** The API origin the list reads from, to remember the reading by. */
	origin: () => Promise<string>;
}

/** One list's reading of the time bounds, learnt from its answers. */
export class TimeBounds<T> {
	reading?: TimeReading;
	/** Requests sent only to learn the reading. */
	extraRequests = 0;

	constructor(private readonly options: TimeBoundsOptions<T>) {}

	/** The entries of [lower, upper] (inclusive; either may be open), as one page of the list. */
	async fetch(lower: number | undefined, upper: number | undefined, pageSize: number, qs: IDataObject = {}): Promise<T[]> {
		const send = async (bounds: IDataObject) => await this.options.send({ ...qs, ...bounds });
		// No bound, or one instant: both readings send the same query.
		if ((lower === undefined && upper === undefined) || lower === upper) return await send(boundsQuery('prose', lower, upper));
		// Learnt from this list: entries outside the window are the pager's to judge (a server that ignored it).
		if (this.reading !== undefined) return await send(boundsQuery(this.reading, lower, upper));
		const origin = await this.options.origin();
		const known = learnt.get(origin);
		const guess: TimeReading = known ?? 'prose';
		const first = await send(boundsQuery(guess, lower, upper));
		const firstSays = this.judge(first, lower, upper);
		if (firstSays === 'right' || (firstSays === 'open' && known !== undefined)) return this.settle(origin, guess, first);

		this.extraRequests++;
		const second = await send(boundsQuery(OTHER[guess], lower, upper));
		const secondSays = this.judge(second, lower, upper);
		if (secondSays === 'right') return this.settle(origin, OTHER[guess], second);
		if (firstSays === 'wrong' && secondSays === 'wrong') throw this.unreadable(second.length);
		if (secondSays === 'wrong') return this.settle(origin, guess, first);
		if (firstSays === 'wrong') return this.settle(origin, OTHER[guess], second);
		// Both answers hold only entries that fit both readings (one instant at most). Unless a page was
		// full, each holds every entry of the window, so they agree and either one is the answer. A full
		// page of one instant goes to the pager, which stops when more entries share it than a page holds.
		if (first.length >= pageSize || second.length >= pageSize) return first;
		if (first.length !== second.length) throw this.undecided();
		return first;
	}

	private settle(origin: string, reading: TimeReading, page: T[]): T[] {
		this.reading = reading;
		remember(origin, reading);
		return page;
	}

	/** 'right': an entry only this reading returns; 'wrong': an entry outside the window; else 'open'. */
	private judge(page: T[], lower: number | undefined, upper: number | undefined): 'right' | 'wrong' | 'open' {
		if (!Array.isArray(page)) return 'open';
		let right = false;
		for (const entry of page) {
			const time = typeof entry === 'object' && entry !== null ? this.options.timeOf(entry) : undefined;
			if (!within(time, lower, upper)) return 'wrong';
			if (!within(time, upper, lower)) right = true;
		}
		return right ? 'right' : 'open';
	}

	private unreadable(count: number) {
		return transportError(
			this.options.node,
			`SalesIQ ignored the time range while listing ${this.options.noun}`,
			`Whichever way the node sent fromtime and totime, ${this.options.noun} outside the range came back (${count} on the last page), so the node stops instead of paging without end or returning a partial list. Try again later, or narrow the time range.`,
			{ itemIndex: this.options.itemIndex, reason: 'paging' },
		);
	}

	private undecided() {
		return transportError(
			this.options.node,
			`The node cannot tell how SalesIQ reads the time range while listing ${this.options.noun}`,
			'The two ways of sending fromtime and totime gave different answers that fit both. The node stops instead of returning a list that may be short. Try again, or narrow the time range.',
			{ itemIndex: this.options.itemIndex, reason: 'paging' },
		);
	}
}
