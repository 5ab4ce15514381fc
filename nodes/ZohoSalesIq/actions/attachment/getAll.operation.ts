import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { validateId } from '../validation';
import { chatIdField, requestOptionsCollection } from '../fields';
import { readRequestSettings, toIso } from '../runtime';
import { attachmentOf, entryTime, transcriptPages } from '../transcript/entries';

const properties: INodeProperties[] = [
	chatIdField('The chat_id of the chat whose attachments to list', 'Lists the files shared in the chat, read from its transcript. Pass an item’s url to Attachment > Download.'),
	requestOptionsCollection(true),
];

export const description = updateDisplayOptions({ show: { resource: ['attachment'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, out: INodeExecutionData[]): Promise<void> {
	const chatId = validateId(this, this.getNodeParameter('chatId', itemIndex), 'Chat ID', itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	for await (const page of transcriptPages.call(this, settings, chatId)) {
		for (const entry of page) {
			const attachment = attachmentOf(entry);
			if (!attachment) continue;
			const time = entryTime(entry);
			out.push({
				json: {
					chatId,
					...attachment,
					time: time ?? null,
					timeIso: toIso(time) ?? null,
					senderId: entry.sender === undefined ? null : String(entry.sender),
					senderName: entry.dname === undefined ? null : String(entry.dname),
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
}
