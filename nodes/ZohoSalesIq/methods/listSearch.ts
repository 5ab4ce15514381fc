import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { chatPages } from '../actions/chat/list';
import { toMs } from '../shared/values';
import { zonedParts } from '../actions/time';
import { DEFAULT_TIMEOUT_MS } from '../transport/types';

/** Chats read per request; a search reads at most SEARCH_PAGES pages per call before handing back a token. */
const PAGE_SIZE = 100;
const SEARCH_PAGES = 5;
const WANTED_MATCHES = 20;

/** Where the next page starts: the oldest start time seen, and the chat ids already listed at that millisecond. */
interface Cursor {
	time: number;
	ids: string[];
}

function readCursor(token: string | undefined): Cursor | undefined {
	const match = /^(\d+):([A-Za-z0-9_,-]*)$/.exec(token ?? '');
	return match ? { time: Number(match[1]), ids: match[2] ? match[2].split(',') : [] } : undefined;
}

function matches(chat: IDataObject, filter: string): boolean {
	const needle = filter.toLowerCase();
	return [chat.visitor_name, chat.visitor_email, chat.question, chat.chat_id].some((value) => String(value ?? '').toLowerCase().includes(needle));
}

function label(chat: IDataObject, timeZone: string): string {
	const visitor = String(chat.visitor_name ?? '').trim() || 'Visitor';
	const question = String(chat.question ?? '').trim();
	const start = toMs(chat.chatinitiated_time);
	let when = '';
	if (start !== undefined) {
		const p = zonedParts(start, timeZone);
		when = ` (${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute})`;
	}
	const text = question.length > 60 ? `${question.slice(0, 59)}…` : question;
	return `${visitor}${text ? `: ${text}` : ''}${when}`;
}

/**
 * The Chat field's "From List": the portal's recent chats, newest first, from the v1 chat list
 * (v2's list covers one department only). The filter matches the visitor's name or email, the
 * question or the chat id. Each result's value is the v1 chat id.
 */
export async function searchChats(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const options = (this.getCurrentNodeParameter('options') ?? {}) as IDataObject;
	const screenName = typeof options.screenName === 'string' && options.screenName.trim() ? options.screenName.trim() : undefined;
	const settings = { screenName, timeout: DEFAULT_TIMEOUT_MS, retryOnServerErrors: true, itemIndex: 0 };
	const timeZone = this.getTimezone();
	const wanted = filter?.trim() ?? '';
	const start = readCursor(paginationToken);
	const listed = new Set(start?.ids ?? []);
	const results: INodeListSearchItems[] = [];
	let cursor = start;
	let read = 0;
	for await (const page of chatPages.call(this, settings, { toTime: start?.time, limit: PAGE_SIZE * SEARCH_PAGES + listed.size })) {
		for (const chat of page) {
			const id = String(chat.chat_id ?? '');
			const time = toMs(chat.chatinitiated_time);
			if (!id || time === undefined || listed.has(id)) continue;
			read++;
			if (!wanted || matches(chat, wanted)) results.push({ name: label(chat, timeZone), value: id });
			cursor = time === cursor?.time ? { time, ids: [...cursor.ids, id] } : { time, ids: [id] };
		}
		if (results.length >= WANTED_MATCHES || read >= PAGE_SIZE * SEARCH_PAGES) {
			return { results, paginationToken: cursor ? `${cursor.time}:${cursor.ids.join(',')}` : undefined };
		}
	}
	return { results };
}
