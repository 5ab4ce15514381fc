import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import type { RequestSettings } from '../actions/runtime';
import { parseTime } from '../actions/time';
import { DEFAULT_TIMEOUT_MS } from '../transport/types';
import { isPollEvent, type PollEvent } from './events';

export const DEFAULT_LOOK_BACK_HOURS = 24;
export const MAX_LOOK_BACK_HOURS = 720;
export const DEFAULT_PAGE_BUDGET = 10;
export const MAX_PAGE_BUDGET = 100;

/** The Poll Trigger's parameters, read and checked once per poll. */
export interface PollConfig {
	events: Set<PollEvent>;
	/** Whether chats seen open are watched for their end. */
	watchesOpenChats: boolean;
	/** Whether a chat passes the Department and Brand filters (as it is now). */
	matches: (chat: IDataObject) => boolean;
	lookBackMs: number;
	pageBudget: number;
	/** Start From in ms, when set. */
	startFrom?: number;
	settings: RequestSettings;
}

function fail(ctx: IPollFunctions, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { description });
}

function wholeNumber(ctx: IPollFunctions, value: unknown, field: string, min: number, max: number, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < min || n > max) fail(ctx, `${field} must be a whole number from ${min} to ${max}`, `It is "${String(value)}".`);
	return n;
}

function textList(value: unknown): string[] {
	const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

export function readPollConfig(ctx: IPollFunctions): PollConfig {
	const chosen = ctx.getNodeParameter('events', []) as unknown[];
	if (!Array.isArray(chosen) || chosen.length === 0) fail(ctx, 'Choose at least one event', 'Events: Chat Started, Chat Ended or Chat Missed.');
	const unknown = chosen.find((event) => !isPollEvent(event));
	if (unknown !== undefined) fail(ctx, `Unknown event "${String(unknown)}"`, 'Events: Chat Started, Chat Ended or Chat Missed.');
	const events = new Set(chosen as PollEvent[]);

	const filters = ctx.getNodeParameter('filters', {}) as IDataObject;
	const departments = new Set(textList(filters.departments).map((d) => d.toLowerCase()));
	const brands = new Set(textList(filters.brandIds));
	const matches = (chat: IDataObject) =>
		(departments.size === 0 ||
			departments.has(String(chat.department_id ?? '').toLowerCase()) ||
			departments.has(String(chat.department_name ?? '').toLowerCase())) &&
		(brands.size === 0 || brands.has(String(chat.embed_id ?? '')));

	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const lookBackHours = wholeNumber(ctx, options.lookBackHours, 'Look-Back (Hours)', 1, MAX_LOOK_BACK_HOURS, DEFAULT_LOOK_BACK_HOURS);
	const pageBudget = wholeNumber(ctx, options.pageBudget, 'Page Budget', 1, MAX_PAGE_BUDGET, DEFAULT_PAGE_BUDGET);
	const startFrom = parseTime(ctx, options.startFrom, 'Start From', 0, ctx.getTimezone());
	const timeout = wholeNumber(ctx, options.timeout, 'Timeout', 1, Number.MAX_SAFE_INTEGER, DEFAULT_TIMEOUT_MS);
	const screenName = typeof options.screenName === 'string' ? options.screenName.trim() : '';

	return {
		events,
		watchesOpenChats: events.has('chatEnded') || events.has('chatMissed'),
		matches,
		lookBackMs: lookBackHours * 3_600_000,
		pageBudget,
		startFrom,
		settings: { screenName: screenName || undefined, timeout, retryOnServerErrors: true, itemIndex: 0 },
	};
}
