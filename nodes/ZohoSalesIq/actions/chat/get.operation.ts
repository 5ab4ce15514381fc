import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { CHAT_ID_METHODS, readChatRef } from '../chatRef';
import { chatIdField, requestOptionsCollection } from '../fields';
import { apiRequest, expectObject, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { CONVERSATION, chatFromConversation, getConversation } from './conversation';

export const option = {
	name: 'Get',
	description: 'Get the details of one chat',
	action: 'Get a chat',
	toolDescription:
		'Gets one Zoho SalesIQ chat. Input: the chat ID (chat_id from the chat list, or a conversation_id from the trigger). Returns the chat: chat_id, question (the first message), visitor_name, visitor_email, attender_name, department_name, chatinitiated_time and end_time (ms since 1970, as text) and missed_time (set only for missed chats).',
};

export const endpoints = {
	chat: { method: 'GET', version: 'v1', path: '/chats/{chatId}', scope: 'SalesIQ.chatdetails.READ' },
	conversation: CONVERSATION,
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	chatIdField('The chat to get: its chat_id from Chat > Get Many, or the conversation_id (or reference_id) from the trigger'),
	requestOptionsCollection(true),
];

export const methods = CHAT_ID_METHODS;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const ref = readChatRef.call(this, itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	if (ref.kind === 'conversation') {
		return [{ json: chatFromConversation(await getConversation.call(this, settings, ref.id)) }];
	}
	const data = await apiRequest.call(this, settings, endpoints.chat, { params: { chatId: ref.id } });
	return [{ json: expectObject.call(this, data, 'chat', itemIndex) }];
}
