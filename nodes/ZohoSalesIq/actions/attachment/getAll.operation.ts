import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { CHAT_ID_METHODS, readChatRef } from '../chatRef';
import { chatIdField, requestOptionsCollection } from '../fields';
import { readRequestSettings, itemsOfPages } from '../runtime';
import type { OperationItem } from '../types';
import { attachmentOf, entryTime } from '../transcript/entries';
import { CHAT_ENTRY_ENDPOINTS, chatEntryPages } from '../transcript/read';
import { toIso } from '../../shared/values';

export const option = {
	name: 'Get Many',
	description: 'List the files shared in a chat',
	action: 'Get many attachments',
	toolDescription:
		'Lists the files shared in one Zoho SalesIQ chat. Input: the chat ID (chat_id from the chat list, or a conversation_id from the trigger). Returns one item per file: fileId, name, mimeType, size in bytes, url (for the download), time (ms since 1970), timeIso and senderName.',
};

export const endpoints = CHAT_ENTRY_ENDPOINTS;

export const properties: INodeProperties[] = [
	chatIdField(
		'The chat whose files to list: its chat_id from Chat > Get Many, or the conversation_id (or reference_id) from the trigger',
		'Lists the files shared in the chat, read from its messages. Pass an item’s url or fileId to Attachment > Download.',
	),
	requestOptionsCollection(true),
];

export const methods = CHAT_ID_METHODS;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const ref = readChatRef.call(this, itemIndex);
	const chatId = ref.id;
	const settings = readRequestSettings.call(this, itemIndex);
	return await itemsOfPages(chatEntryPages.call(this, settings, ref), (entry) => {
		const attachment = attachmentOf(entry);
		if (!attachment) return undefined;
		const time = entryTime(entry);
		return {
			chatId,
			...attachment,
			time: time ?? null,
			timeIso: toIso(time) ?? null,
			senderId: entry.sender === undefined ? null : String(entry.sender),
			senderName: entry.dname === undefined ? null : String(entry.dname),
		};
	});
}
