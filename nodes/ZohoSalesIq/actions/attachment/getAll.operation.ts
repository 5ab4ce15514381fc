import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateId } from '../validation';
import { chatIdField, requestOptionsCollection } from '../fields';
import { readRequestSettings, toIso, itemsOfPages } from '../runtime';
import type { OperationItem } from '../types';
import { attachmentOf, entryTime, transcriptPages, TRANSCRIPT } from '../transcript/entries';

export const option = {
	name: 'Get Many',
	description: 'List the files shared in a chat',
	action: 'Get many attachments',
};

export const endpoints = { transcript: TRANSCRIPT };

export const properties: INodeProperties[] = [
	chatIdField('The chat_id of the chat whose attachments to list', 'Lists the files shared in the chat, read from its transcript. Pass an item’s url to Attachment > Download.'),
	requestOptionsCollection(true),
];


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const chatId = validateId(this, this.getNodeParameter('chatId', itemIndex), 'Chat ID', itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	return await itemsOfPages(transcriptPages.call(this, settings, chatId), (entry) => {
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
