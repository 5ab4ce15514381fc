import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fail, validateEmail, validateId } from '../validation';
import { trimmedText } from '../../shared/values';

/**
 * Builds the JSON a SalesIQ webhook bot answers with (docs/ZOHO-API.md, "Webhook bots") from the Bot
 * fields, and refuses anything SalesIQ would not take, naming the field, before any request.
 */

/** The actions the builder offers; SalesIQ knows more (pending, context, block, operator_busy). */
export const REPLY_ACTIONS = ['reply', 'forward', 'end'] as const;
export type ReplyAction = (typeof REPLY_ACTIONS)[number];

/** More suggestions than this are cut off on every messaging channel (13 on Messenger and Instagram, 10 on WhatsApp). */
export const MAX_SUGGESTIONS = 13;
/** The delay before an `end` action closes the chat: 30 s to 3 h. */
export const END_DELAY_SECONDS = { min: 30, max: 10_800 } as const;

const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

/** A list field given as a list, a comma-separated text, or one value. */
function list(value: unknown): string[] {
	const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value === undefined || value === null ? [] : [value];
	return items.map(trimmedText);
}

function replyAction(ctx: IExecuteFunctions, value: unknown, itemIndex: number): ReplyAction {
	const action = trimmedText(value);
	if (!(REPLY_ACTIONS as readonly string[]).includes(action)) {
		fail(ctx, itemIndex, `Action "${action}" is not supported`, 'Use Reply, Forward to Human or End Chat.');
	}
	return action as ReplyAction;
}

function replies(ctx: IExecuteFunctions, itemIndex: number, action: ReplyAction): Array<string | IDataObject> {
	const main = trimmedText(ctx.getNodeParameter('text', itemIndex, ''));
	const more = ctx.getNodeParameter('moreReplies.reply', itemIndex, []) as IDataObject[];
	const out: Array<string | IDataObject> = main === '' ? [] : [main];
	more.forEach((entry, i) => {
		const replyText = trimmedText(entry.text);
		const image = trimmedText(entry.imageUrl);
		if (replyText === '' && image === '') fail(ctx, itemIndex, `More Replies: reply ${i + 1} is empty`, 'Give it a text or an image URL, or remove it.');
		if (image !== '' && !HTTP_URL.test(image)) fail(ctx, itemIndex, `More Replies: the image URL of reply ${i + 1} is not an http(s) URL`);
		out.push(image === '' ? replyText : { text: replyText, image });
	});
	if (action === 'reply' && out.length === 0) {
		fail(ctx, itemIndex, 'Reply Text is required for the Reply action', 'The visitor would see nothing. Use an expression such as {{ $json.output }} for an AI answer.');
	}
	return out;
}

function suggestions(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const values = list(ctx.getNodeParameter('suggestions', itemIndex, []));
	values.forEach((value, i) => {
		if (value === '') fail(ctx, itemIndex, `Suggestions: suggestion ${i + 1} is empty`);
	});
	if (values.length > MAX_SUGGESTIONS) {
		fail(ctx, itemIndex, `Suggestions: ${values.length} is too many (at most ${MAX_SUGGESTIONS})`, 'Messaging channels cut off the rest. Offer fewer choices, or ask a question instead.');
	}
	return values;
}

function forwardTarget(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const department = trimmedText(ctx.getNodeParameter('department', itemIndex, ''));
	const operators = list(ctx.getNodeParameter('operators', itemIndex, '')).filter((o) => o !== '');
	if (department !== '' && operators.length > 0) {
		fail(ctx, itemIndex, 'Set either Department ID or Operators, not both', 'SalesIQ forwards to a department or to chosen operators.');
	}
	if (department !== '') return { department: validateId(ctx, department, 'Department ID', itemIndex) };
	if (operators.length > 0) return { operators: operators.map((o) => validateEmail(ctx, o, 'Operators', itemIndex)) };
	return {};
}

function endDelay(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('endDelay', itemIndex, 0);
	const seconds = typeof raw === 'number' ? raw : Number(trimmedText(raw) || 0);
	if (seconds === 0) return {};
	if (!Number.isInteger(seconds) || seconds < END_DELAY_SECONDS.min || seconds > END_DELAY_SECONDS.max) {
		fail(ctx, itemIndex, `End After (Seconds) must be 0 or ${END_DELAY_SECONDS.min} to ${END_DELAY_SECONDS.max}`, 'SalesIQ schedules the end between 30 seconds and 3 hours later; 0 ends the chat now.');
	}
	// Zoho's pages spell the delay two ways; both are sent so that either reading schedules it.
	return { delay: String(seconds), delay_config: { enabled: true, time: seconds } };
}

/** The bot response for one item, from the Action, Reply Text, More Replies, Suggestions and the action's own fields. */
export function buildReply(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const action = replyAction(ctx, ctx.getNodeParameter('botAction', itemIndex), itemIndex);
	const response: IDataObject = { action, replies: replies(ctx, itemIndex, action) };
	if (action === 'reply') {
		const chips = suggestions(ctx, itemIndex);
		if (chips.length > 0) response.suggestions = chips;
	}
	if (action === 'forward') Object.assign(response, forwardTarget(ctx, itemIndex));
	if (action === 'end') Object.assign(response, endDelay(ctx, itemIndex));
	return response;
}
