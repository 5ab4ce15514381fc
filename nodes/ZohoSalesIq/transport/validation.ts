import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shown } from './errors';

/**
 * Input checks that run before any request. Each failure is a NodeOperationError that names the
 * field as the user sees it, so nothing malformed ever reaches a URL.
 */

/** Zoho ids (chat ids such as 282 or LD_..., file ids such as A_146...) are letters, digits, '_' and '-'. */
const ZOHO_ID = /^[A-Za-z0-9_-]{1,128}$/;
const VIEW_ID = /^-?[0-9]{1,32}$/;
/**
 * Emails as mailboxes really are: dot-separated atoms, then a domain name whose last label is not
 * all digits. No '%', '/', '?', '#', ':', backslashes, spaces or control characters, so an email
 * can never alter the path it is placed in, and never names a host or a port.
 */
const EMAIL_ATOM = "[\\p{L}\\p{N}!$&'*+=^_`{|}~-]+";
const DOMAIN_LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const EMAIL = new RegExp(`^${EMAIL_ATOM}(?:\\.${EMAIL_ATOM})*@(?:${DOMAIN_LABEL}\\.)+(?![0-9]+$)${DOMAIN_LABEL}$`, 'u');
/** Largest Limit accepted; Return All covers anything bigger. */
export const MAX_LIMIT = 1_000_000;
/** Largest Badge Count accepted: the number is added to the app icon's badge. */
export const MAX_BADGE_COUNT = 99_999;
const BUNDLE_ID = /^[A-Za-z0-9._-]{1,255}$/;
/** A transcript attachment url: /attachments/<n>/<fileId>. */
const ATTACHMENT_PATH = /^\/attachments\/([A-Za-z0-9_-]{1,128})\/([A-Za-z0-9_-]{1,128})$/;

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).trim();
}

export function validateId(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string {
	const id = asText(value);
	if (!id) fail(ctx, itemIndex, `${field} is required`);
	if (!ZOHO_ID.test(id)) {
		fail(
			ctx,
			itemIndex,
			`${field} "${shown(id)}" is not a valid ID`,
			'Zoho IDs contain only letters, digits, "_" and "-". Use the value exactly as SalesIQ returns it, for example the chat_id of Chat > Get Many.',
		);
	}
	return id;
}

export function validateViewId(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const id = asText(value);
	if (!VIEW_ID.test(id)) {
		fail(
			ctx,
			itemIndex,
			`View "${shown(id)}" is not a valid view ID`,
			'Use -1 for all visitors, -2 for returning visitors, or the numeric ID of a saved Visitor History view.',
		);
	}
	return id;
}

export function validateEmail(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string {
	const email = asText(value);
	if (!email) fail(ctx, itemIndex, `${field} is required`);
	if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email)) {
		fail(ctx, itemIndex, `${field} "${shown(email, 80)}" is not a valid email address`);
	}
	return email;
}

export function requireText(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string {
	const text = asText(value);
	if (!text) fail(ctx, itemIndex, `${field} is required`);
	return text;
}

/** Accepts an object or a JSON string; anything but a JSON object is refused. */
export function parseJsonObject(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim()) return {};
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			fail(ctx, itemIndex, `${field} is not valid JSON`, shown((error as Error).message, 200));
		}
		if (parsed === null) fail(ctx, itemIndex, `${field} must be a JSON object, for example {"plan": "premium"}`);
	}
	if (parsed === undefined || parsed === null) return {};
	if (typeof parsed !== 'object' || Array.isArray(parsed)) {
		fail(ctx, itemIndex, `${field} must be a JSON object, for example {"plan": "premium"}`);
	}
	return parsed as IDataObject;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** The wall-clock fields of an instant in a time zone, as zero-padded text (year, month, day, hour, minute, second). */
export function zonedParts(instant: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of a time zone from UTC at an instant, in ms (local minus UTC). */
function zoneOffset(instant: number, timeZone: string): number {
	const p = zonedParts(instant, timeZone);
	const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
	return local - Math.floor(instant / 1000) * 1000;
}

/** A date-time without a zone (what the date picker gives) read in the workflow's time zone. */
function wallTimeToMs(text: string, timeZone: string): number | undefined {
	const m = WALL_TIME.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
	const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(ms.padEnd(3, '0')));
	try {
		let result = asUtc - zoneOffset(asUtc, timeZone);
		const corrected = asUtc - zoneOffset(result, timeZone);
		if (corrected !== result) result = corrected;
		return result;
	} catch {
		return asUtc;
	}
}

/**
 * A date-time parameter (ISO string, Luxon DateTime, Date or epoch ms) as epoch ms. A string
 * without a zone is read in `timeZone` (the workflow's), as n8n's date picker means it.
 */
export function parseTime(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
	timeZone = 'UTC',
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let ms: number;
	if (typeof value === 'number') {
		ms = value;
	} else if (value instanceof Date) {
		ms = value.getTime();
	} else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis: () => number }).toMillis();
	} else {
		const text = String(value).trim();
		ms = /^[0-9]{1,16}$/.test(text) ? Number(text) : (wallTimeToMs(text, timeZone) ?? Date.parse(text));
	}
	if (!Number.isFinite(ms) || ms < 0) {
		fail(ctx, itemIndex, `${field} "${shown(String(value))}" is not a valid date and time`, 'Use an ISO date such as 2024-05-01T00:00:00Z or milliseconds since 1970.');
	}
	return Math.trunc(ms);
}

export function validateTimeRange(
	ctx: IExecuteFunctions,
	from: number | undefined,
	to: number | undefined,
	itemIndex: number,
): void {
	if (from !== undefined && to !== undefined && from > to) {
		fail(ctx, itemIndex, 'From Time must not be after To Time', `From ${new Date(from).toISOString()} is after To ${new Date(to).toISOString()}.`);
	}
}

export function validateLimit(ctx: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const limit = Number(value);
	if (!Number.isInteger(limit) || limit < 1) {
		fail(ctx, itemIndex, `Limit must be a whole number of 1 or more (got ${shown(String(value), 30)})`);
	}
	if (limit > MAX_LIMIT) {
		fail(ctx, itemIndex, `Limit must be at most ${MAX_LIMIT} (got ${shown(String(value), 30)})`, 'Turn on Return All to read everything.');
	}
	return limit;
}

export function validateBadgeCount(ctx: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const count = Number(value);
	if (!Number.isInteger(count) || count < 0) fail(ctx, itemIndex, 'Badge Count must be a whole number of 0 or more');
	if (count > MAX_BADGE_COUNT) {
		fail(ctx, itemIndex, `Badge Count must be at most ${MAX_BADGE_COUNT} (got ${shown(String(value), 30)})`, 'The number is added to the badge the app icon already shows.');
	}
	return count;
}

/** Comma-separated bundle ids, trimmed and re-joined. At least one is required. */
export function validateBundleIds(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string[] {
	const ids = asText(value)
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id.length > 0);
	if (ids.length === 0) {
		fail(ctx, itemIndex, 'Bundle IDs must not be empty', 'Enter the bundle ID of your app, such as com.zylker.app; separate several with commas.');
	}
	const bad = ids.find((id) => !BUNDLE_ID.test(id));
	if (bad !== undefined) {
		fail(ctx, itemIndex, `Bundle ID "${shown(bad)}" is not valid`, 'Bundle IDs contain only letters, digits, ".", "_" and "-".');
	}
	return ids;
}

export function validateBinaryPropertyName(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const name = asText(value);
	if (!name) fail(ctx, itemIndex, 'Put Output File in Field is required');
	return name;
}

/**
 * An attachment reference: the `url` from Attachment > Get Many (/attachments/<n>/<fileId>) or a
 * bare file id. Full URLs are refused, so user input never picks the host.
 */
export function parseAttachmentRef(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): { path?: string; fileId: string } {
	const text = asText(value);
	if (!text) fail(ctx, itemIndex, 'Attachment is required');
	const match = ATTACHMENT_PATH.exec(text);
	if (match) return { path: text, fileId: match[2] };
	if (ZOHO_ID.test(text)) return { fileId: text };
	fail(
		ctx,
		itemIndex,
		`Attachment "${shown(text, 80)}" is not valid`,
		'Use the url of Attachment > Get Many (it looks like /attachments/2285371690226238428/A_1461321096778) or the file ID (A_1461321096778).',
	);
}
