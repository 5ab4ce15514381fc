import type { IExecuteFunctions } from 'n8n-workflow';

import { searchChats } from '../methods/listSearch';
import type { OperationMethods } from './types';
import { validateId } from './validation';

/**
 * Which chat an item names, and so which API generation serves it. SalesIQ has two ids for one
 * chat: v1's `chat_id`, a short per-portal counter such as 282, and v2's conversation id, a long
 * number such as 19000000033103 (the trigger's `conversation_id`). A per-portal counter never
 * reaches 12 digits, so 12 or more digits is a conversation id. docs/ZOHO-API.md has the details.
 */
export interface ChatRef {
	/** `chat`: a v1 chat id, served by /api/v1. `conversation`: a conversation id, served by /api/v2. */
	kind: 'chat' | 'conversation';
	id: string;
}

/** 12 or more digits: a conversation id. */
const CONVERSATION_ID = /^[0-9]{12,}$/;

export function chatRefOf(id: string): ChatRef {
	return { kind: CONVERSATION_ID.test(id) ? 'conversation' : 'chat', id };
}

/**
 * The Chat ID field of this item: a resource locator (From List, By ID), or a plain string or
 * expression as workflows written before the locator hold. Malformed ids fail before any request.
 */
export function readChatRef(this: IExecuteFunctions, itemIndex: number): ChatRef {
	return chatRefOf(validateId(this, locatorValue(this.getNodeParameter('chatId', itemIndex, '')), 'Chat ID', itemIndex));
}

/**
 * The value of a resource locator, or a plain value as it is. Both modes of the Chat ID locator
 * (From List, By ID) hold the id itself and declare no extraction pattern, so this gives what n8n's
 * `extractValue` option would, without that option's search of the node's properties on every item.
 */
function locatorValue(value: unknown): unknown {
	return typeof value === 'object' && value !== null && (value as { __rl?: unknown }).__rl === true ? (value as { value?: unknown }).value : value;
}

/** The methods the Chat ID field needs: every operation with the field declares them. */
export const CHAT_ID_METHODS: OperationMethods = { listSearch: { searchChats } };
