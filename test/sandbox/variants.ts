/**
 * Readings of Zoho's documentation that the sandbox can play. Where Zoho's pages are silent or
 * contradict themselves, each plausible reading is one value of a variant; the first value is the
 * default (the most likely reading). docs/SANDBOX.md ("Variants") says what each value does, and
 * docs/ZOHO-API.md where the documentation leaves it open.
 */
import { createPublicKey } from 'node:crypto';
import type { ApiError, Reply } from './http';
import { JSON_TYPE } from './http';

export const VARIANTS = {
	/** Answers of Push Send, Clear Badge, Visitor Update and webhook Delete. */
	writes: ['data', 'empty', 'object', 'status'],
	/** Which method Update Visitor accepts. */
	'visitor-update': ['put', 'post-only'],
	/** How v1 `fromtime`/`totime` bound the chat list and the transcript. */
	'time-bounds': ['prose', 'example'],
	/** HTTP status of API errors. */
	errors: ['4xx', '200'],
	/** HTTP status of a missing-scope error (1009). */
	'scope-error': ['200', '401'],
	/** Where attachment download links point. */
	files: ['api-host', 'file-domain', 'redirect'],
	/** Where a v1 transcript entry says it is an attachment. */
	'attachment-mode': ['entry', 'msg'],
	/** Units of `expires_in` in token responses. */
	'token-expiry': ['seconds', 'milliseconds'],
	/** Types of `version` and `app_id` in webhook deliveries (v1-number also gives brands 17-digit ids). */
	delivery: ['v1-string', 'v1-number'],
	/** Text of a webhook public key. */
	'key-format': ['pem', 'base64', 'pkcs1'],
	/** Whether webhook objects other than the keys answer list `public_keys`. */
	'webhook-keys': ['listed', 'omitted'],
	/** How v2 `GET .../conversations/{id}/attachments/{id}` answers: the file, a 302 to its link, or JSON with the link. */
	'v2-attachment': ['bytes', 'redirect', 'link'],
	/** Whether v2 messages' `to_time` keeps the messages of that very millisecond. */
	'v2-to-time': ['inclusive', 'exclusive'],
} as const;

export type VariantName = keyof typeof VARIANTS;
export type Variants = { [K in VariantName]: (typeof VARIANTS)[K][number] };

export const VARIANT_NAMES = Object.keys(VARIANTS) as VariantName[];

export const DEFAULT_VARIANTS: Variants = Object.fromEntries(VARIANT_NAMES.map((name) => [name, VARIANTS[name][0]])) as Variants;

function isVariantName(name: string): name is VariantName {
	return Object.prototype.hasOwnProperty.call(VARIANTS, name);
}

/** Checks names and values; unknown ones throw with the allowed list. */
export function resolveVariants(given: Partial<Record<string, string>> = {}): Variants {
	const resolved: Record<string, string> = { ...DEFAULT_VARIANTS };
	for (const [name, value] of Object.entries(given)) {
		if (value === undefined) continue;
		if (!isVariantName(name)) throw new TypeError(`unknown variant ${name}; known: ${VARIANT_NAMES.join(', ')}`);
		const allowed: readonly string[] = VARIANTS[name];
		if (!allowed.includes(value)) throw new TypeError(`variant ${name} takes ${allowed.join(', ')}, not ${value}`);
		resolved[name] = value;
	}
	return resolved as Variants;
}

/** `NAME=VALUE`, as the CLI's `--variant` takes it. */
export function parseVariant(text: string | undefined): [string, string] {
	const match = /^([a-z0-9-]+)=(\S+)$/.exec(text ?? '');
	if (!match) throw new Error('--variant needs NAME=VALUE');
	return [match[1], match[2]];
}

/** The variants that differ from the default, as `name=value` (the CLI's ready line). */
export function describeVariants(variants: Variants): string[] {
	return VARIANT_NAMES.filter((name) => variants[name] !== DEFAULT_VARIANTS[name]).map((name) => `${name}=${variants[name]}`);
}

/** The HTTP status an API error is answered with. */
export function errorStatus(variants: Variants, error: ApiError): number {
	if (error.code === 1009) return variants['scope-error'] === '401' ? 401 : 200;
	return variants.errors === '200' ? 200 : error.status;
}

/** A performed write's answer: the documented body, or what the variant plays instead. */
export function writeReply(variants: Variants, documented: Reply): Reply {
	switch (variants.writes) {
		case 'data':
			return documented;
		case 'empty':
			return { status: 200, headers: { 'content-type': JSON_TYPE }, body: '' };
		case 'object':
			return { status: 200, body: {} };
		case 'status':
			return { status: 200, body: { status: 'success' } };
	}
}

/** Inclusive [lower, upper] from v1 `fromtime`/`totime`; either may be missing. */
export function timeBounds(variants: Variants, fromTime: number | undefined, toTime: number | undefined): [number | undefined, number | undefined] {
	return variants['time-bounds'] === 'example' ? [toTime, fromTime] : [fromTime, toTime];
}

/** Moves an attachment entry's `mode: "att"` into its `msg` when the variant says so. */
export function attachmentEntry<T extends object>(variants: Variants, entry: T): T {
	const { mode, msg, ...rest } = entry as { mode?: unknown; msg?: unknown };
	if (variants['attachment-mode'] !== 'msg' || mode !== 'att' || typeof msg !== 'object' || msg === null) return entry;
	return { ...rest, msg: { ...msg, mode } } as unknown as T;
}

/**
 * The JSON text of a webhook delivery. `v1-number` writes `version` as the number 1 and `app_id`
 * as a bare integer of all its digits (past 2^53, so a parser that reads it as a double loses digits).
 */
export function deliveryText(variants: Variants, payload: Record<string, unknown>): string {
	if (variants.delivery === 'v1-string') return JSON.stringify(payload);
	const appId = String(payload.app_id ?? '');
	const marker = '"__sandbox_app_id__"';
	const text = JSON.stringify({ ...payload, version: 1, app_id: /^\d+$/.test(appId) ? '__sandbox_app_id__' : payload.app_id });
	return text.replace(marker, appId);
}

/** A webhook public key as the keys answer shows it: a PEM block, or bare Base64 DER (SPKI or PKCS#1). */
export function keyText(variants: Variants, pem: string): string {
	if (variants['key-format'] === 'pem') return pem;
	const type = variants['key-format'] === 'pkcs1' ? 'pkcs1' : 'spki';
	return createPublicKey(pem).export({ type, format: 'der' }).toString('base64');
}
