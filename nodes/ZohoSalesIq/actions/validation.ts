import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../transport/deadline';
import { shown } from '../transport/errors';
import { trimmedText } from '../shared/values';

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
/** A conversation's file url (v2): /attachments/<fileId>. */
const CONVERSATION_FILE_PATH = /^\/attachments\/([A-Za-z0-9_-]{1,128})$/;

/** Refuses a parameter: a NodeOperationError for this item, before any request. */
export function fail(ctx: Pick<IExecuteFunctions, 'getNode'>, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

export function validateId(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string {
	const id = trimmedText(value);
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
	const id = trimmedText(value);
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
	const email = trimmedText(value);
	if (!email) fail(ctx, itemIndex, `${field} is required`);
	if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email)) {
		fail(ctx, itemIndex, `${field} "${shown(email, 80)}" is not a valid email address`);
	}
	return email;
}

export function requireText(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string {
	const text = trimmedText(value);
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

/** The Timeout option in ms, or undefined when it is not set: a whole number from 1 to 600,000. */
export function validateTimeout(ctx: IExecuteFunctions, value: unknown, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const timeout = Number(value);
	if (!Number.isInteger(timeout) || timeout < MIN_TIMEOUT_MS || timeout > MAX_TIMEOUT_MS) {
		fail(
			ctx,
			itemIndex,
			`Timeout must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS.toLocaleString('en-US')} (got ${shown(String(value), 30)})`,
			'It bounds each SalesIQ response, downloads included; 30000 (30 seconds) is the default.',
		);
	}
	return timeout;
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
	const ids = trimmedText(value)
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
	const name = trimmedText(value);
	if (!name) fail(ctx, itemIndex, 'Put Output File in Field is required');
	return name;
}

/** The folder and file id of a transcript attachment path (/attachments/<folder>/<fileId>), or undefined. */
export function attachmentPathParts(path: string): { folder: string; fileId: string } | undefined {
	const match = ATTACHMENT_PATH.exec(path);
	return match ? { folder: match[1], fileId: match[2] } : undefined;
}

/**
 * An attachment reference: the `url` from Attachment > Get Many (/attachments/<n>/<fileId> for a
 * chat, /attachments/<fileId> for a conversation) or a bare file id. Full URLs are refused, so user
 * input never picks the host.
 */
export function parseAttachmentRef(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): { path?: string; fileId: string } {
	const text = trimmedText(value);
	if (!text) fail(ctx, itemIndex, 'Attachment is required');
	const parts = attachmentPathParts(text);
	if (parts) return { path: text, fileId: parts.fileId };
	const conversationFile = CONVERSATION_FILE_PATH.exec(text);
	if (conversationFile) return { fileId: conversationFile[1] };
	if (ZOHO_ID.test(text)) return { fileId: text };
	fail(
		ctx,
		itemIndex,
		`Attachment "${shown(text, 80)}" is not valid`,
		'Use the url of Attachment > Get Many (it looks like /attachments/2285371690226238428/A_1461321096778 or /attachments/A_1461321096778) or the file ID (A_1461321096778).',
	);
}
