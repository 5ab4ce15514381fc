/**
 * The open points of Zoho's documentation: for each, the pages that leave it open, the readings,
 * the sandbox variant that plays them, and what the node does. docs/FIDELITY.md is generated from
 * these and from a real run of the cases (report.ts); doc.test.ts keeps the two in step.
 */
import { VARIANTS, type VariantName } from '../sandbox/variants';

export interface OpenPoint {
	variant: VariantName;
	title: string;
	/** Zoho pages (by title) that leave the point open. */
	pages: string;
	readings: string;
	node: string;
	/** Operations the variant touches; each value has a case for each of them. */
	operations: readonly string[];
}

export const TRIGGER = 'Trigger lifecycle';

const LISTS = ['Chat: Get Many (Return All)', 'Chat: Get Many (Limit)', 'Chat: Get Many (From/To)', 'Transcript: Get', 'Attachment: Get Many', 'Attachment: Download'];
const WRITES = ['Push Notification: Send', 'Push Notification: Clear Badge', 'Visitor: Update', TRIGGER];

export const POINTS: readonly OpenPoint[] = [
	{
		variant: 'writes',
		title: 'Answers of writes',
		pages: 'Push Notification (REST API v1); Webhooks: Delete Webhook (REST API v2); Update Visitor Info (REST API v1)',
		readings: 'the documented `{"data":...}`; HTTP 200 with an empty body (seen live); `{}`; `{"status":"success"}`',
		node: 'A 2xx answer without an `error` object is success, whatever its body; the write is reported done, never repeated.',
		operations: WRITES,
	},
	{
		variant: 'visitor-update',
		title: 'Method of Update Visitor',
		pages: 'Update Visitor Info (REST API v1), which names the method "UPDATE"',
		readings: 'PUT; POST only (PUT answers 1004 "Invalid Request Type")',
		node: 'Sends PUT; on 1004 or HTTP 405 sends the same request once with POST. The visitor is updated exactly once.',
		operations: ['Visitor: Update'],
	},
	{
		variant: 'time-bounds',
		title: 'Which of fromtime and totime is the lower bound',
		pages: 'Chat List and Chat Transcript (REST API v1): the prose against the example request',
		readings: '`fromtime` lower and `totime` upper (prose); `fromtime` upper and `totime` lower (example)',
		node: 'Learns the reading from the answers of each list (at most one extra request), never loops, fails with a clear error when the answers fit neither reading; every item exactly once, in the same order.',
		operations: LISTS,
	},
	{
		variant: 'errors',
		title: 'HTTP status of errors',
		pages: 'REST API v1 and v2 overviews (errors come with HTTP 200) against practice (4xx)',
		readings: '4xx with the error body; HTTP 200 with the error body',
		node: 'Treats an `error` object as an error whatever the status: the same NodeApiError with Zoho’s code.',
		operations: ['Chat: Get', 'Transcript: Get', 'Visitor: Update', TRIGGER],
	},
	{
		variant: 'scope-error',
		title: 'HTTP status of a missing scope',
		pages: 'REST API v2 overview (1009 Invalid OAuthScope); other Zoho services answer 401 "invalid oauthscope"',
		readings: 'HTTP 200 with 1009; HTTP 401 with 1009',
		node: 'Names the missing scope (the 1009 hint) and spends no token refresh on it.',
		operations: ['Chat: Get Many (Return All)', 'Transcript: Get', 'Visitor: Update', 'Push Notification: Send'],
	},
	{
		variant: 'files',
		title: 'Where attachment files live',
		pages: 'Attachments (REST API v1), whose only sample link is on the API host',
		readings: 'on the API host; on Zoho’s public file domain; a link on the API host that redirects there',
		node: 'Downloads from the API host or the region’s public file domain (Custom: the Files URL), at most 3 redirects, HTTPS only except loopback; the token goes to neither.',
		operations: ['Attachment: Download'],
	},
	{
		variant: 'attachment-mode',
		title: 'Where a transcript entry says it is an attachment',
		pages: 'Attachments and Chat Transcript (REST API v1) against working code',
		readings: '`mode:"att"` on the entry; `mode:"att"` inside `msg`',
		node: 'Counts either mark: Attachment Get Many and Download find the same files.',
		operations: ['Transcript: Get', 'Attachment: Get Many', 'Attachment: Download'],
	},
	{
		variant: 'token-expiry',
		title: 'Units of expires_in',
		pages: 'Zoho Accounts: access token and refresh (seconds) against live answers (milliseconds plus expires_in_sec)',
		readings: '`expires_in: 3600`; `expires_in: 3600000` with `expires_in_sec: 3600`',
		node: 'Refreshes once when the token is expired and reuses the new token on the next run.',
		operations: ['Chat: Get'],
	},
	{
		variant: 'delivery',
		title: 'Types in a webhook delivery',
		pages: 'Webhooks: payload samples against a live delivery',
		readings: '`"version":"1"` and a string `app_id`; `"version":1` and a 17-digit numeric `app_id`',
		node: 'The same output; `app_id` keeps every digit.',
		operations: [TRIGGER],
	},
	{
		variant: 'key-format',
		title: 'Text of a webhook public key',
		pages: 'Webhooks: Generate Public Key (REST API v2), whose sample holds a placeholder',
		readings: 'PEM; bare Base64 SPKI; bare Base64 PKCS#1',
		node: 'Reads every form and verifies signatures with it.',
		operations: [TRIGGER],
	},
	{
		variant: 'webhook-keys',
		title: 'Whether webhook details list the keys',
		pages: 'Webhooks: Webhook Details against Generate Public Key (REST API v2)',
		readings: '`public_keys` in every webhook object; only in the keys answer',
		node: 'Reads the keys where SalesIQ lists them and never adds a key to a webhook that has one.',
		operations: [TRIGGER],
	},
];

/** The value of every variant that is not its default. For variants with several, the one used "all at once". */
export const ALL_NON_DEFAULT: Record<VariantName, string> = {
	writes: 'empty',
	'visitor-update': 'post-only',
	'time-bounds': 'example',
	errors: '200',
	'scope-error': '401',
	files: 'redirect',
	'attachment-mode': 'msg',
	'token-expiry': 'milliseconds',
	delivery: 'v1-number',
	'key-format': 'pkcs1',
	'webhook-keys': 'omitted',
	'v2-attachment': 'redirect',
	'v2-to-time': 'exclusive',
};

export interface FidelityCase {
	id: string;
	variant: VariantName | 'all';
	value: string;
	operation: string;
}

/** Every case: each value of each variant for each operation it touches, then everything at once. */
export const CASES: readonly FidelityCase[] = [
	...POINTS.flatMap((point) =>
		VARIANTS[point.variant].flatMap((value) => point.operations.map((operation) => ({ id: '', variant: point.variant, value, operation }))),
	),
	...[...new Set(POINTS.flatMap((p) => p.operations))].map((operation) => ({ id: '', variant: 'all' as const, value: 'non-default', operation })),
].map((c, i) => ({ ...c, id: `FID-${String(i + 1).padStart(3, '0')}` }));

export function caseTitle(c: FidelityCase): string {
	return `${c.id} ${c.variant}=${c.value}: ${c.operation}`;
}

export function casesFor(operation: string): FidelityCase[] {
	return CASES.filter((c) => c.operation === operation);
}

/** The sandbox variants of a case. */
export function variantsOf(c: FidelityCase): Record<string, string> {
	return c.variant === 'all' ? { ...ALL_NON_DEFAULT } : { [c.variant]: c.value };
}
