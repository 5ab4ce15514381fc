import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { encodeSegment } from '../../transport/url';
import { validateId } from '../validation';
import { chatIdField, requestOptionsCollection } from '../fields';
import { apiRequest, expectObject, readRequestSettings } from '../runtime';

const properties: INodeProperties[] = [
	chatIdField('The chat_id of the chat, as returned by Chat > Get Many or by the trigger'),
	requestOptionsCollection(true),
];

export const description = updateDisplayOptions({ show: { resource: ['chat'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, out: INodeExecutionData[]): Promise<void> {
	const chatId = validateId(this, this.getNodeParameter('chatId', itemIndex), 'Chat ID', itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, {
		method: 'GET',
		version: 'v1',
		path: `/chats/${encodeSegment(chatId)}`,
	});
	out.push({ json: expectObject.call(this, data, 'chat', itemIndex), pairedItem: { item: itemIndex } });
}
