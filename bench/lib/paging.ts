/**
 * The minimal request algorithms for each piece of benchmark work, written once over an abstract
 * transport. The bare client (undici) and the helper-only n8n node run exactly this code, so the only
 * difference between them is the HTTP stack. `minimum.ts` derives the same counts from the dataset
 * without any HTTP, as an independent check.
 */

/** The API page size: v1 chat and transcript `limit` is clamped to 100, v1 visitors come 100 per page. */
export const PAGE = 100;

export type Json = Record<string, any>;

export interface Transport {
	/** GET /api/v1/{screen}{path} with the OAuth token; resolves to the `data` of the body. */
	get(path: string, query: Record<string, string | number>): Promise<unknown>;
	/** GET a public URL without any credential; resolves to the bytes. */
	download(url: string): Promise<Buffer>;
}

export interface ChatQuery {
	/** Stop after this many chats; undefined = Return All. */
	limit?: number;
	fromTime?: number;
	toTime?: number;
}

/**
 * v1 chat list, newest first (docs/ZOHO-API.md, Paging). Each page asks for what is still needed plus the chats
 * that will come back because they share the millisecond `totime` is moved to. The list has ended on
 * a short page (the server had fewer chats than asked for) or a page without a new chat.
 */
export async function exportChats(t: Transport, q: ChatQuery = {}): Promise<Json[]> {
	const out: Json[] = [];
	const seen = new Set<string>();
	const want = q.limit ?? Number.POSITIVE_INFINITY;
	let toTime = q.toTime;
	let overlap = 0;
	while (out.length < want) {
		const size = Math.min(PAGE, want - out.length + overlap);
		const query: Record<string, string | number> = { limit: size };
		if (q.fromTime !== undefined) query.fromtime = q.fromTime;
		if (toTime !== undefined) query.totime = toTime;
		const page = (await t.get('/chats', query)) as Json[];
		let fresh = 0;
		for (const chat of page) {
			const id = String(chat.chat_id);
			if (seen.has(id)) continue;
			seen.add(id);
			fresh++;
			if (out.length < want) out.push(chat);
		}
		if (fresh === 0 || page.length < size) break;
		const oldest = Number(page[page.length - 1].chatinitiated_time);
		toTime = oldest;
		overlap = 0;
		for (let i = out.length - 1; i >= 0 && Number(out[i].chatinitiated_time) === oldest; i--) overlap++;
	}
	return out;
}

export function entryTime(entry: Json): number {
	return Number(entry.time ?? entry.chatinitiated_time);
}

/**
 * v1 transcript of one chat, oldest first (docs/ZOHO-API.md, Paging), header included. Entries have no id, so the
 * entries that come back because they share the millisecond `fromtime` is moved to are skipped by count.
 */
export async function transcript(t: Transport, chatId: string): Promise<Json[]> {
	const path = `/chats/${encodeURIComponent(chatId)}/transcript`;
	const out: Json[] = [];
	let fromTime: number | undefined;
	let overlap = 0;
	for (;;) {
		const query: Record<string, string | number> = { limit: PAGE };
		if (fromTime !== undefined) query.fromtime = fromTime;
		const page = (await t.get(path, query)) as Json[];
		let skip = overlap;
		let fresh = 0;
		for (const entry of page) {
			const isHeader = entry.time === undefined && entry.msg === undefined;
			if (fromTime !== undefined && isHeader) continue;
			if (skip > 0 && entryTime(entry) === fromTime) {
				skip--;
				continue;
			}
			out.push(entry);
			fresh++;
		}
		if (fresh === 0 || page.length < PAGE) break;
		const newest = entryTime(out[out.length - 1]);
		fromTime = newest;
		overlap = 0;
		for (let i = out.length - 1; i >= 0 && entryTime(out[i]) === newest; i--) overlap++;
	}
	return out;
}

/** v1 visitors of a view (docs/ZOHO-API.md, Paging): 100 per page, follow `startkey` until a page has none. */
export async function exportVisitors(t: Transport, viewId: string, limit?: number): Promise<Json[]> {
	const path = `/visitorsview/${encodeURIComponent(viewId)}/visitors`;
	const want = limit ?? Number.POSITIVE_INFINITY;
	const out: Json[] = [];
	let startKey: string | undefined;
	do {
		const data = (await t.get(path, startKey === undefined ? {} : { startkey: startKey })) as Json;
		for (const visitor of (data.visitorlist ?? []) as Json[]) {
			if (out.length >= want) break;
			out.push(visitor);
		}
		startKey = typeof data.startkey === 'string' && data.startkey !== '' ? data.startkey : undefined;
	} while (startKey !== undefined && out.length < want);
	return out;
}

/** docs/ZOHO-API.md, Paging: the attachment endpoint hands out a public link; the bytes are fetched without a token. */
export async function downloadAttachment(
	t: Transport,
	chatId: string,
	attachmentUrl: string,
): Promise<{ size: number; bytes: Buffer }> {
	const data = (await t.get(`/chats/${encodeURIComponent(chatId)}${attachmentUrl}`, {})) as Json;
	const bytes = await t.download(String(data.download_url));
	return { size: Number(data['content-length']), bytes };
}

/** `fn` over `items`, at most `concurrency` at a time; results in input order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const lane = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await fn(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
	return results;
}
