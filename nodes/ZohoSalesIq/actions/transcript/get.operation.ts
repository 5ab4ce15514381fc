import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { zonedParts } from '../time';
import { CHAT_ID_METHODS, readChatRef } from '../chatRef';
import { validateLimit } from '../validation';
import { chatIdField, limitField, requestOptionsCollection, returnAllField } from '../fields';
import { readRequestSettings, itemsOfPages } from '../runtime';
import type { OperationItem } from '../types';
import { attachmentOf, entryTime, isHeader, messageItem, textOf, type TranscriptEntry } from './entries';
import { CHAT_ENTRY_ENDPOINTS, chatEntryPages } from './read';
import { toIso, toMs } from '../../shared/values';

export const option = {
	name: 'Get',
	description: 'Get the messages of a chat, or the whole conversation as text',
	action: 'Get a chat transcript',
	toolDescription:
		'Gets the messages of one Zoho SalesIQ chat. Input: the chat ID (chat_id from the chat list, or a conversation_id from the trigger; missed chats have no transcript). Returns one item per message (time, senderName, type text or attachment, text), or, in the Text format, one item with the whole conversation as lines "[time] name: message", plus chatId, visitorName, question and messageCount.',
};

export const endpoints = CHAT_ENTRY_ENDPOINTS;

export const properties: INodeProperties[] = [
	chatIdField(
		'The chat whose messages to get: its chat_id from Chat > Get Many, or the conversation_id (or reference_id) from the trigger',
		'A missed chat has no transcript: v1 answers error 2032, v2 an empty list',
	),
	{ ...returnAllField('message'), description: 'Whether to return every message or only up to a given limit' },
	{ ...limitField(), description: 'Max number of messages to return' },
	requestOptionsCollection(true, [
		{
			displayName: 'Output Format',
			name: 'format',
			type: 'options',
			default: 'messages',
			options: [
				{
					name: 'One Item per Message',
					value: 'messages',
					description: 'Each message as an item with its time, sender, text and any attachment',
				},
				{
					name: 'Text (One Item per Chat)',
					value: 'text',
					description:
						'The whole conversation as readable lines ([time] name: text), ready for an AI summary or a CRM note',
				},
			],
			description: 'How to return the transcript',
		},
	]),
];

export const methods = CHAT_ID_METHODS;

/** "2016-04-06 10:32:28" in the workflow's time zone. */
function formatTime(ms: number | undefined, timeZone: string): string {
	if (ms === undefined) return '?';
	try {
		const p = zonedParts(ms, timeZone);
		return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
	} catch {
		return toIso(ms) ?? '?';
	}
}

function line(entry: TranscriptEntry, timeZone: string): string {
	const name = String(entry.dname ?? entry.sender ?? 'Unknown');
	const attachment = attachmentOf(entry);
	const text = attachment
		? `[attachment: ${attachment.name}, ${attachment.mimeType}${attachment.size !== undefined ? `, ${attachment.size} bytes` : ''}]`
		: textOf(entry, undefined).replace(/\r?\n/g, '\n    ');
	return `[${formatTime(entryTime(entry), timeZone)}] ${name}: ${text}`;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const ref = readChatRef.call(this, itemIndex);
	const chatId = ref.id;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : validateLimit(this, this.getNodeParameter('limit', itemIndex, 50), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const format = options.format === 'text' ? 'text' : 'messages';
	const settings = readRequestSettings.call(this, itemIndex, options);
	const pages = chatEntryPages.call(this, settings, ref, { limit, header: format === 'text' });

	if (format === 'messages') {
		return await itemsOfPages(pages, (entry) => (isHeader(entry) ? undefined : messageItem(chatId, entry)));
	}

	const timeZone = this.getTimezone();
	let header: TranscriptEntry | undefined;
	const lines: string[] = [];
	for await (const page of pages) {
		for (const entry of page) {
			if (isHeader(entry)) header ??= entry;
			else lines.push(line(entry, timeZone));
		}
	}
	const startTime = toMs(header?.chatinitiated_time);
	return [
		{
			json: {
			chatId,
			visitorName: header?.visitor_name ?? null,
			question: header?.question ?? null,
			startTime: startTime ?? null,
			startTimeIso: toIso(startTime) ?? null,
			timeZone,
			messageCount: lines.length,
			conversation: lines.join('\n'),
		},
		},
	];
}
