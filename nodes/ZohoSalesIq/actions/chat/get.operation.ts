import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { validateId } from '../validation';
import { chatIdField, requestOptionsCollection } from '../fields';
import { apiRequest, expectObject, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';

export const option = {
	name: 'Get',
	description: 'Get the details of one chat',
	action: 'Get a chat',
};

export const endpoints = {
	chat: { method: 'GET', version: 'v1', path: '/chats/{chatId}', scope: 'SalesIQ.chatdetails.READ' },
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	chatIdField('The chat_id of the chat, as returned by Chat > Get Many or by the trigger'),
	requestOptionsCollection(true),
];


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const chatId = validateId(this, this.getNodeParameter('chatId', itemIndex), 'Chat ID', itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, endpoints.chat, { params: { chatId } });
	return [{ json: expectObject.call(this, data, 'chat', itemIndex) }];
}
