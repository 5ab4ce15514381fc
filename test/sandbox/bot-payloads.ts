/**
 * The two payloads of a SalesIQ webhook bot (Zobot, "Webhook" platform): the request SalesIQ POSTs
 * to the bot, and the checks SalesIQ applies to what the bot answers (synchronously or through the
 * callbacks API). Zoho documents the handlers and their top-level fields but shows no verbatim request,
 * so the nested shapes here (visitor keys, `request`, `answers`) are inferred; docs/SANDBOX-DRIVING.md marks them.
 */
import type { Dataset } from './data';
import { mix, Random } from './random';

export const BOT_HANDLERS = ['trigger', 'message', 'context'] as const;
export type BotHandler = (typeof BOT_HANDLERS)[number];

/** Every action a bot response may carry. */
export const BOT_ACTIONS = ['reply', 'forward', 'end', 'pending', 'context', 'block', 'operator_busy'] as const;

/** The documented bounds of the delay before an `end` action closes the chat, in seconds. */
export const END_DELAY_SECONDS = { min: 30, max: 10_800 } as const;

export interface BotVisitor extends Record<string, unknown> {
	active_conversation_id: string;
}

export interface BotRequestInput {
	handler: BotHandler;
	requestId: string;
	orgId: string;
	visitor: BotVisitor;
	operation?: 'chat' | 'message';
	text?: string;
	messageType?: string;
	meta?: Record<string, unknown>;
	attachments?: unknown[];
	answers?: Record<string, unknown>;
	contextId?: string;
	time: number;
}

/** The JSON body SalesIQ POSTs for one handler invocation. */
export function botRequestBody(input: BotRequestInput): Record<string, unknown> {
	const common = {
		handler: input.handler,
		org_id: input.orgId,
		request: { id: input.requestId, time: String(input.time) },
		visitor: input.visitor,
	};
	if (input.handler === 'trigger') return common;
	if (input.handler === 'context') {
		return { ...common, context_id: input.contextId ?? 'context-1', answers: input.answers ?? {} };
	}
	const message: Record<string, unknown> = { text: input.text ?? '' };
	if (input.messageType !== undefined) message.type = input.messageType;
	if (input.meta !== undefined) message.meta = input.meta;
	return { ...common, operation: input.operation ?? 'message', message, attachments: input.attachments ?? [] };
}

/** A visitor map as the bot sees it, built from a dataset visitor (the conversation id is the caller's). */
export function botVisitor(dataset: Dataset, conversationId: string, index: number): BotVisitor {
	const source = dataset.visitors.length > 0 ? dataset.visitors[index % dataset.visitors.length] : undefined;
	const rng = new Random(mix(dataset.seed, 17 + index));
	const name = source?.name ?? 'Visitor';
	return {
		id: source?.id ?? String(index + 1),
		name,
		email: source?.email ?? '',
		phone: `+1555${String(rng.int(1_000_000, 9_999_999))}`,
		active_conversation_id: conversationId,
		channel: 'website',
		language: 'en',
		current_page_url: `${dataset.portal.website}/pricing`,
		current_page_title: 'Pricing',
		country_code: (source?.country ?? 'us').slice(0, 2).toLowerCase(),
		time_zone: 'UTC',
		browser: 'Chrome',
		os: 'Linux',
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function delaySeconds(value: unknown): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

/** What SalesIQ makes of an `end` action's delay, under each documented spelling. */
export interface EndDelay {
	/** `"delay": n` at the top level (one copy of the pages, value as a string or number). */
	delay?: number;
	/** `"delay_config": {"enabled": true, "time": n}` at the top level (the other copy). */
	delayConfig?: number;
}

export interface ResponseCheck {
	action?: string;
	/** Empty when SalesIQ would accept the response. Each entry names the JSON key. */
	problems: { key: string; message: string }[];
	endDelay?: EndDelay;
}

function checkReplies(replies: unknown, problems: ResponseCheck['problems']): void {
	if (replies === undefined) return;
	if (!Array.isArray(replies)) {
		problems.push({ key: 'replies', message: 'replies must be a list' });
		return;
	}
	replies.forEach((reply, i) => {
		if (typeof reply === 'string') {
			if (reply.trim() === '') problems.push({ key: `replies[${i}]`, message: 'a reply must not be empty' });
			return;
		}
		if (!isRecord(reply) || typeof reply.text !== 'string' || (reply.text.trim() === '' && reply.image === undefined && reply.url === undefined)) {
			problems.push({ key: `replies[${i}]`, message: 'a reply is a text or an object with text (and image or url)' });
		}
	});
}

function checkDelay(body: Record<string, unknown>, problems: ResponseCheck['problems']): EndDelay {
	const result: EndDelay = {};
	const inRange = (n: number) => Number.isInteger(n) && n >= END_DELAY_SECONDS.min && n <= END_DELAY_SECONDS.max;
	if (body.delay !== undefined) {
		const n = delaySeconds(body.delay);
		if (n === undefined || !inRange(n)) problems.push({ key: 'delay', message: `delay must be ${END_DELAY_SECONDS.min}-${END_DELAY_SECONDS.max} seconds` });
		else result.delay = n;
	}
	if (body.delay_config !== undefined) {
		const config = body.delay_config;
		const n = isRecord(config) ? delaySeconds(config.time) : undefined;
		if (n === undefined || !inRange(n)) {
			problems.push({ key: 'delay_config.time', message: `delay_config.time must be ${END_DELAY_SECONDS.min}-${END_DELAY_SECONDS.max} seconds` });
		} else if (isRecord(config) && config.enabled !== false) result.delayConfig = n;
	}
	return result;
}

/** Checks a bot response the way SalesIQ reads it (documented fields only; unknown keys are ignored). */
export function checkBotResponse(value: unknown): ResponseCheck {
	const problems: ResponseCheck['problems'] = [];
	if (!isRecord(value)) return { problems: [{ key: '', message: 'the response must be a JSON object' }] };
	const action = value.action;
	if (typeof action !== 'string' || !(BOT_ACTIONS as readonly string[]).includes(action)) {
		problems.push({ key: 'action', message: `action must be one of ${BOT_ACTIONS.join(', ')}` });
		return { problems };
	}
	// Zoho marks `replies` mandatory in every response; an empty list is allowed.
	if (value.replies === undefined) problems.push({ key: 'replies', message: 'replies is required (it may be an empty list)' });
	checkReplies(value.replies, problems);
	if (value.suggestions !== undefined) {
		const suggestions = value.suggestions;
		if (!Array.isArray(suggestions) || suggestions.some((s) => typeof s !== 'string' || s.trim() === '')) {
			problems.push({ key: 'suggestions', message: 'suggestions must be a list of texts' });
		}
	}
	if (value.input !== undefined && !isRecord(value.input)) problems.push({ key: 'input', message: 'input must be an object' });
	const check: ResponseCheck = { action, problems };
	if (action === 'forward') {
		if (value.department !== undefined && !['string', 'number'].includes(typeof value.department)) {
			problems.push({ key: 'department', message: 'department must be an id' });
		}
		const operators = value.operators;
		if (operators !== undefined && (!Array.isArray(operators) || operators.some((o) => typeof o !== 'string' || !o.includes('@')))) {
			problems.push({ key: 'operators', message: 'operators must be a list of e-mail addresses' });
		}
	}
	if (action === 'end') check.endDelay = checkDelay(value, problems);
	return check;
}
