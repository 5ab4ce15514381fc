import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { timeWindowPages } from '../../transport/paging';
import type { Endpoint } from '../../transport/types';
import { toMs, isRecord } from '../../shared/values';
import { apiRequest, type RequestSettings } from '../runtime';
import type { TranscriptEntry } from './entries';

/**
 * A conversation's messages through v2 (`GET /api/v2/{screen}/conversations/{id}/messages`), read
 * as v1 transcript entries, so every transcript and attachment operation builds the same items
 * whichever API served the chat.
 */

/** A conversation's messages (v2), paged backwards with `to_time`. */
export const MESSAGES: Endpoint = {
	method: 'GET',
	version: 'v2',
	path: '/conversations/{conversationId}/messages',
	scope: 'SalesIQ.conversations.READ',
};

/** v2 documents a default of 20 messages a page and no maximum; 99 is the largest page of v2's conversation list. */
export const MESSAGES_PAGE_SIZE = 99;
const MESSAGES_DEFAULT_PAGE = 20;

function objectAt(value: unknown): IDataObject | undefined {
	return isRecord(value) ? value : undefined;
}

function firstOf(object: IDataObject, keys: string[]): unknown {
	for (const key of keys) if (object[key] !== undefined && object[key] !== null) return object[key];
	return undefined;
}

/**
 * The file of a file message. Zoho documents no v2 file message, so the likely spellings are all
 * read: `message.file` (or `message.attachment`, or the message itself) with `id`, `name`,
 * `content_type`, `size` and `dimensions`.
 */
function fileOf(message: IDataObject): IDataObject | undefined {
	const body = objectAt(message.message) ?? {};
	const file = objectAt(body.file) ?? objectAt(body.attachment) ?? objectAt(message.file) ?? objectAt(message.attachment);
	if (file) return file;
	return message.type === 'file' ? body : undefined;
}

/** One v2 message as a v1 transcript entry: {sender, dname, time, msg}, or an attachment entry (mode "att"). */
export function entryFromMessage(message: IDataObject): TranscriptEntry {
	const sender = objectAt(message.sender) ?? {};
	const entry: TranscriptEntry = { time: message.time, sender: sender.id, dname: sender.name };
	const file = fileOf(message);
	if (file) {
		const id = String(firstOf(file, ['id', 'file_id', 'fileId']) ?? '');
		const dimensions = objectAt(firstOf(file, ['dimensions', 'dimension', 'dim']));
		return {
			...entry,
			mode: 'att',
			msg: {
				fileId: id,
				fName: firstOf(file, ['name', 'file_name', 'fName']) ?? id,
				content: firstOf(file, ['content_type', 'mime_type', 'type', 'content']),
				size: firstOf(file, ['size', 'file_size']),
				url: `/attachments/${id}`,
				...(dimensions ? { dim: { width: dimensions.width, height: dimensions.height } } : {}),
			},
		};
	}
	const body = objectAt(message.message);
	const text = body ? body.text : message.message;
	if (typeof text === 'string') return { ...entry, msg: text };
	return { ...entry, ...(typeof message.type === 'string' && message.type !== 'text' ? { mode: message.type } : {}), msg: body ?? null };
}

/** The v1 transcript header (`chatinitiated_time`, `visitor_name`, `question`) of a conversation object. */
export function headerFromConversation(conversation: IDataObject): TranscriptEntry {
	return {
		chatinitiated_time: conversation.start_time,
		visitor_name: objectAt(conversation.visitor)?.name,
		question: conversation.question,
	};
}

/**
 * Every message of a conversation, oldest first. v2 pages backwards only: with just `to_time`, a
 * page holds the newest messages at or before it. Each next page ends at the oldest time seen, and
 * the messages of that millisecond that come back are dropped by id. `to_time` is sent one
 * millisecond past that edge (`boundSlackMs`), so the edge is included whether Zoho reads the bound
 * inclusively or not. Limit then keeps the first messages, as v1 does.
 */
export async function conversationEntries(
	this: IExecuteFunctions,
	settings: RequestSettings,
	conversationId: string,
	limit?: number,
): Promise<TranscriptEntry[]> {
	// Newer than any message: now, plus a day for a clock that runs behind SalesIQ's.
	const newest = Date.now() + 86_400_000;
	const pages = timeWindowPages<IDataObject>({
		node: this.getNode(),
		itemIndex: settings.itemIndex,
		order: 'newestFirst',
		noun: 'conversation messages',
		maxPageSize: MESSAGES_PAGE_SIZE,
		documentedDefaultPage: MESSAGES_DEFAULT_PAGE,
		boundSlackMs: 1,
		timeOf: (message) => toMs(message.time),
		keyOf: (message) => String(message.id ?? JSON.stringify(message)),
		fetchPage: async (pageSize, _from, to) => {
			const qs: IDataObject = { limit: pageSize, to_time: to ?? newest };
			return (await apiRequest.call(this, settings, MESSAGES, { params: { conversationId }, qs })) as IDataObject[];
		},
	});
	const newestFirst: IDataObject[] = [];
	for await (const page of pages) newestFirst.push(...page);
	const entries = newestFirst.reverse().map(entryFromMessage);
	return limit === undefined ? entries : entries.slice(0, limit);
}
