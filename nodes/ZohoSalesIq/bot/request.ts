import type { IDataObject } from 'n8n-workflow';

import { isRecord } from '../shared/values';

/** The handlers a webhook bot receives (docs/ZOHO-API.md, "Webhook bots"). */
export const BOT_HANDLERS = ['trigger', 'message', 'context'] as const;
export type BotHandler = (typeof BOT_HANDLERS)[number];

/** What the Bot Trigger emits for one SalesIQ request. */
export interface BotRequestOutput extends IDataObject {
	handler: BotHandler;
	/** `chat` for a conversation's first message, `message` after; empty for other handlers. */
	operation: string;
	/** The visitor's message text; empty for trigger and context requests. */
	text: string;
	visitor: IDataObject;
	attachments: IDataObject[];
	answers: IDataObject;
	contextId: string;
	requestId: string;
	conversationId: string;
	body: IDataObject;
}

/** The first of `keys` that holds a non-empty string or number, as text. */
function pick(source: IDataObject, ...keys: string[]): string {
	for (const key of keys) {
		const value = source[key];
		if (typeof value === 'string' && value !== '') return value;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return '';
}

/**
 * Reads a SalesIQ bot request. Only the handler names and their top-level fields are documented, so
 * every nested field is read defensively, under the spellings SalesIQ uses elsewhere. Returns
 * undefined when the body is not a bot request (no known `handler`).
 */
export function readBotRequest(body: IDataObject): BotRequestOutput | undefined {
	const handler = body.handler;
	if (typeof handler !== 'string' || !(BOT_HANDLERS as readonly string[]).includes(handler)) return undefined;
	const raw = isRecord(body.visitor) ? body.visitor : {};
	const request = isRecord(body.request) ? body.request : {};
	const message = body.message;
	const text = typeof message === 'string' ? message : isRecord(message) ? pick(message, 'text') : '';
	const conversationId = pick(raw, 'active_conversation_id', 'conversation_id') || pick(body, 'conversation_id');
	const visitor: IDataObject = {
		id: pick(raw, 'id', 'visitor_id'),
		name: pick(raw, 'name'),
		email: pick(raw, 'email', 'email_id'),
		phone: pick(raw, 'phone', 'phone_number'),
		conversationId,
		channel: pick(raw, 'channel'),
		language: pick(raw, 'language'),
		page: { url: pick(raw, 'current_page_url', 'page_url'), title: pick(raw, 'current_page_title', 'page_title') },
	};
	return {
		handler: handler as BotHandler,
		operation: pick(body, 'operation'),
		text,
		visitor,
		attachments: Array.isArray(body.attachments) ? (body.attachments as IDataObject[]) : [],
		answers: isRecord(body.answers) ? body.answers : {},
		contextId: pick(body, 'context_id'),
		requestId: pick(request, 'id', 'request_id') || pick(body, 'request_id'),
		conversationId,
		body,
	};
}
