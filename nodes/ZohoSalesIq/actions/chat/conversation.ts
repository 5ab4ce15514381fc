import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { apiRequest, expectObject, type RequestSettings } from '../runtime';

/** One conversation by its long id (v2). */
export const CONVERSATION: Endpoint = {
	method: 'GET',
	version: 'v2',
	path: '/conversations/{conversationId}',
	scope: 'SalesIQ.conversations.READ',
};

/**
 * A v2 conversation object as a v1 chat: the v1 keys that a v2 field maps onto, so expressions
 * downstream read the same keys whichever API served the chat. Each pair is [v1 key, v2 path].
 * v1 keys with no v2 equivalent (README, "Which ID"): chat_id, chat_title, embed_name,
 * participants, supervisor, chat_duration, waited_duration.
 */
const V1_KEYS: ReadonlyArray<[string, string[]]> = [
	['question', ['question']],
	['department_id', ['department', 'id']],
	['department_name', ['department', 'name']],
	['embed_id', ['app_id']],
	['attender_id', ['attender', 'id']],
	['attender_name', ['attender', 'name']],
	['attender_email', ['attender', 'email']],
	['chatinitiated_time', ['start_time']],
	['pickup_time', ['attended_time']],
	['end_time', ['end_time']],
	['missed_time', ['missed_time']],
	['visitor_name', ['visitor', 'name']],
	['visitor_email', ['visitor', 'email']],
	['visitor_phoneno', ['visitor', 'phone']],
	['visitor_ip', ['visitor', 'ip']],
	['country_code', ['visitor', 'country_code']],
];

function at(object: IDataObject, path: string[]): unknown {
	let value: unknown = object;
	for (const key of path) {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

function isEmptyObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** Chat Get's item for a conversation: the mapped v1 keys, then `conversation_id` and `reference_id`. */
export function chatFromConversation(conversation: IDataObject): IDataObject {
	const chat: IDataObject = {};
	for (const [key, path] of V1_KEYS) {
		const value = at(conversation, path);
		if (value !== undefined && value !== null && value !== '') chat[key] = value;
	}
	const info = conversation.customer_info;
	if (typeof info === 'object' && info !== null && !isEmptyObject(info)) chat.customer_info = info;
	chat.conversation_id = conversation.id === undefined ? null : String(conversation.id);
	chat.reference_id = conversation.reference_id === undefined ? null : String(conversation.reference_id);
	return chat;
}

/** `GET /api/v2/{screen}/conversations/{id}`: the conversation object. */
export async function getConversation(this: IExecuteFunctions, settings: RequestSettings, conversationId: string): Promise<IDataObject> {
	const data = await apiRequest.call(this, settings, CONVERSATION, { params: { conversationId } });
	return expectObject.call(this, data, 'conversation', settings.itemIndex);
}
