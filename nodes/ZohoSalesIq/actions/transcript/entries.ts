import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { timeWindowPages } from '../../transport/paging';
import type { Endpoint } from '../../transport/types';
import { getApiBaseUrl } from '../../transport/credential';
import { TimeBounds } from '../../transport/timeBounds';
import { apiRequest, type RequestSettings } from '../runtime';
import { toIso, toMs } from '../../shared/values';

/** GET /api/v1/{screen}/chats/{chat_id}/transcript: a chat's messages, oldest first, paged by time. */
export const TRANSCRIPT: Endpoint = { method: 'GET', version: 'v1', path: '/chats/{chatId}/transcript', scope: 'SalesIQ.chattranscript.READ' };

/** A raw v1 transcript entry: the header, a message, or an attachment (mode "att" on the entry or in its msg). */
export type TranscriptEntry = IDataObject;

export interface AttachmentInfo {
	fileId: string;
	name: string;
	mimeType: string;
	size?: number;
	url: string;
	width?: number;
	height?: number;
}

/** The first entry of a transcript: chatinitiated_time, visitor_name and question, with no msg. */
export function isHeader(entry: TranscriptEntry): boolean {
	return entry.msg === undefined && entry.time === undefined && entry.chatinitiated_time !== undefined;
}

export function entryTime(entry: TranscriptEntry): number | undefined {
	return toMs(isHeader(entry) ? entry.chatinitiated_time : entry.time);
}

/** Attachment metadata of an attachment entry, or undefined for any other entry. */
export function attachmentOf(entry: TranscriptEntry): AttachmentInfo | undefined {
	const msg = entry.msg;
	if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return undefined;
	const file = msg as IDataObject;
	// Zoho's sample marks the entry itself; working code reads the mark inside msg. Either counts.
	if (entry.mode !== 'att' && file.mode !== 'att') return undefined;
	const dim = (typeof file.dim === 'object' && file.dim !== null ? file.dim : {}) as IDataObject;
	const size = toMs(file.size);
	const width = toMs(dim.width);
	const height = toMs(dim.height);
	return {
		fileId: String(file.fileId ?? ''),
		name: String(file.fName ?? file.fileId ?? ''),
		mimeType: String(file.content ?? 'application/octet-stream'),
		...(size !== undefined ? { size } : {}),
		url: String(file.url ?? ''),
		...(width !== undefined ? { width } : {}),
		...(height !== undefined ? { height } : {}),
	};
}

/** The text of a message entry; for other kinds, Zoho's msg as JSON. `attachment` is attachmentOf(entry). */
export function textOf(entry: TranscriptEntry, attachment: AttachmentInfo | undefined): string {
	const msg = entry.msg;
	if (msg === undefined || msg === null) return '';
	if (typeof msg === 'string') return msg;
	if (attachment) return attachment.name;
	return JSON.stringify(msg);
}

/** One output item for one message: chat id, times, sender, text, and attachment metadata. */
export function messageItem(chatId: string, entry: TranscriptEntry): IDataObject {
	const time = entryTime(entry);
	const attachment = attachmentOf(entry);
	return {
		chatId,
		time: time ?? null,
		timeIso: toIso(time) ?? null,
		senderId: entry.sender === undefined ? null : String(entry.sender),
		senderName: entry.dname === undefined ? null : String(entry.dname),
		type: attachment ? 'attachment' : typeof entry.mode === 'string' ? entry.mode : 'text',
		text: textOf(entry, attachment),
		...(attachment ? { attachment: attachment as unknown as IDataObject } : {}),
	};
}

/**
 * Pages through a chat's transcript, oldest first, moving `fromtime` forward (docs/ZOHO-API.md, Paging).
 * `limit` counts messages; the header never counts.
 */
export function transcriptPages(
	this: IExecuteFunctions,
	settings: RequestSettings,
	chatId: string,
	limit?: number,
): AsyncGenerator<TranscriptEntry[]> {
	// n8n's getNode() copies the node: once per item is enough.
	const node = this.getNode();
	const bounds = new TimeBounds<TranscriptEntry>({
		node,
		itemIndex: settings.itemIndex,
		noun: 'transcript messages',
		timeOf: entryTime,
		origin: () => getApiBaseUrl.call(this),
		send: async (qs) => (await apiRequest.call(this, settings, TRANSCRIPT, { params: { chatId }, qs })) as TranscriptEntry[],
	});
	return timeWindowPages<TranscriptEntry>({
		node,
		itemIndex: settings.itemIndex,
		order: 'oldestFirst',
		limit,
		noun: 'transcript messages',
		firstPageExtra: 1,
		counts: (entry) => !isHeader(entry),
		timeOf: entryTime,
		keyOf: (entry) => (isHeader(entry) ? 'header' : `${String(entry.sender ?? '')}|${String(entry.dname ?? '')}|${JSON.stringify(entry.msg ?? null)}`),
		fetchPage: (pageSize, from) => bounds.fetch(from, undefined, pageSize, { limit: pageSize }),
	});
}
