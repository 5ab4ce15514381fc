/**
 * Every case of the reliability suite (issue #7), as data. The tests iterate these tables, and
 * docs/RELIABILITY.md lists the same ids (`report.ts` writes it; `doc.test.ts` checks it).
 * A test's title starts with its case id; one case may be checked by several tests.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Fault } from '../sandbox';
import { HOSTILE_CASES, HOSTILE_INPUT_CASES } from './hostile-cases';

export type Area = 'Faults' | 'Paging' | 'Tokens' | 'Input' | 'Secrets' | 'Hosts' | 'Server' | 'Trigger';

export interface ReliabilityCase {
	id: string;
	area: Area;
	/** What the case injects or feeds the node. */
	injected: string;
	/** What the node must do. */
	expected: string;
}

// ---------------------------------------------------------------------------------------------
// Fault matrix: every read operation x every fault kind, injected through the sandbox.

export const READ_OPERATIONS = [
	{ key: 'chat.get', label: 'Chat > Get' },
	{ key: 'chat.getAll', label: 'Chat > Get Many, Return All (2 pages)' },
	{ key: 'transcript.get', label: 'Transcript > Get, Return All (several pages)' },
	{ key: 'attachment.getAll', label: 'Attachment > Get Many' },
	{ key: 'attachment.download', label: 'Attachment > Download, the SalesIQ API call' },
	{ key: 'attachment.link', label: 'Attachment > Download, the public download link' },
	{ key: 'visitor.getAll', label: 'Visitor > Get Many, Return All (2 pages)' },
] as const;

export type ReadOperation = (typeof READ_OPERATIONS)[number]['key'];

export interface FaultSpec {
	key: string;
	injected: string;
	expected: string;
	/** The sandbox fault; the test adds `match` for the operation's requests. */
	fault: Fault;
	/** The node recovers and returns the full result; otherwise it fails with one clear error. */
	recovers: boolean;
	/** Requests to the faulted path: the clean count plus this when it recovers, exactly this when it fails. */
	requests: number;
	/** Node options for this case. */
	options?: { timeout?: number; retryOnServerErrors?: boolean };
	/** Not meaningful for the public download link, which is not the SalesIQ API. */
	apiOnly?: boolean;
}

export const FAULTS: readonly FaultSpec[] = [
	{
		key: '429',
		injected: 'HTTP 429 with Retry-After: 0 and error 1023, once',
		expected: 'waits as told, retries, returns the full result',
		fault: { kind: 'throttle', retryAfter: 0, times: 1 },
		recovers: true,
		requests: 1,
	},
	{
		key: '1023-200',
		injected: 'error 1023 in an HTTP 200 body, once',
		expected: 'treats it as throttling, retries, returns the full result',
		fault: { kind: 'code1023', retryAfter: 0, times: 1 },
		recovers: true,
		requests: 1,
		apiOnly: true,
	},
	{
		key: '1023-4xx',
		injected: 'error 1023 in an HTTP 400 body, once',
		expected: 'treats it as throttling, retries, returns the full result',
		fault: { kind: 'status', status: 400, code: 1023, retryAfter: 0, times: 1 },
		recovers: true,
		requests: 1,
		apiOnly: true,
	},
	{
		key: '429-budget',
		injected: 'HTTP 429 (Retry-After: 0) on every request',
		expected: 'one clear error after 3 retries (4 requests), no items',
		fault: { kind: 'throttle', retryAfter: 0 },
		recovers: false,
		requests: 4,
	},
	{
		key: '500',
		injected: 'HTTP 500 with a Zoho error body, once',
		expected: 'retries the GET, returns the full result',
		fault: { kind: 'status', status: 500, times: 1 },
		recovers: true,
		requests: 1,
	},
	{
		key: '502',
		injected: 'HTTP 502 with an nginx HTML page, once',
		expected: 'retries the GET, returns the full result',
		fault: { kind: 'html', status: 502, times: 1 },
		recovers: true,
		requests: 1,
	},
	{
		key: '503',
		injected: 'HTTP 503, once',
		expected: 'retries the GET, returns the full result',
		fault: { kind: 'status', status: 503, times: 1 },
		recovers: true,
		requests: 1,
	},
	{
		key: 'reset',
		injected: 'connection reset without an answer, once',
		expected: 'retries the GET, returns the full result',
		fault: { kind: 'reset', times: 1 },
		recovers: true,
		requests: 1,
	},
	{
		key: '503-budget',
		injected: 'HTTP 503 on every request',
		expected: 'one error naming HTTP 503 and the 3 tries, no items',
		fault: { kind: 'status', status: 503 },
		recovers: false,
		requests: 3,
	},
	{
		key: 'reset-budget',
		injected: 'connection reset on every request',
		expected: 'one error saying the connection closed and the 3 tries, no items',
		fault: { kind: 'reset' },
		recovers: false,
		requests: 3,
	},
	{
		key: 'no-retry',
		injected: 'HTTP 500 once, with Retry on Server Errors off',
		expected: 'no retry (1 request), one error naming HTTP 500, no items',
		fault: { kind: 'status', status: 500, times: 1 },
		recovers: false,
		requests: 1,
		options: { retryOnServerErrors: false },
	},
	{
		key: 'hang',
		injected: 'no answer at all, with the Timeout option at 300 ms',
		expected: 'a timeout error naming 300 ms within seconds, no retry, no items; the execution ends',
		fault: { kind: 'hang' },
		recovers: false,
		requests: 1,
		options: { timeout: 300 },
	},
	{
		key: 'malformed',
		injected: 'truncated JSON with HTTP 200',
		expected: 'one clear error (not valid JSON / incomplete file), never an undefined item',
		fault: { kind: 'malformed' },
		recovers: false,
		requests: 1,
	},
	{
		key: 'html-200',
		injected: 'an HTML error page with HTTP 200',
		expected: 'one clear error (an HTML page / incomplete file), never an undefined item',
		fault: { kind: 'html', as200: true },
		recovers: false,
		requests: 1,
	},
	{
		key: 'empty',
		injected: 'an empty body with HTTP 200',
		expected: 'one clear error (empty body / incomplete file), never an undefined item',
		fault: { kind: 'empty' },
		recovers: false,
		requests: 1,
	},
];

export interface MatrixRow {
	id: string;
	operation: ReadOperation;
	spec: FaultSpec;
}

export const FAULT_MATRIX: readonly MatrixRow[] = READ_OPERATIONS.flatMap((operation) =>
	FAULTS.filter((spec) => !(spec.apiOnly && operation.key === 'attachment.link')).map((spec) => ({
		id: `FLT-${spec.key}-${operation.key}`,
		operation: operation.key,
		spec,
	})),
);

function matrixCases(): ReliabilityCase[] {
	return FAULT_MATRIX.map(({ id, operation, spec }) => ({
		id,
		area: 'Faults',
		injected: `${READ_OPERATIONS.find((o) => o.key === operation)!.label}: ${spec.injected}`,
		expected: spec.expected,
	}));
}

// ---------------------------------------------------------------------------------------------
// Bad input: refused before any request, with a NodeOperationError that names the field.

/** Valid parameters of each operation; cases change one field. */
export const VALID_PARAMETERS: Record<string, INodeParameters> = {
	'chat.get': { resource: 'chat', operation: 'get', chatId: '282' },
	'chat.getAll': { resource: 'chat', operation: 'getAll', returnAll: false, limit: 10 },
	'transcript.get': { resource: 'transcript', operation: 'get', chatId: '282', returnAll: true },
	'attachment.getAll': { resource: 'attachment', operation: 'getAll', chatId: '282' },
	'attachment.download': {
		resource: 'attachment',
		operation: 'download',
		chatId: '282',
		attachmentUrl: '/attachments/1/A_1',
		binaryPropertyName: 'data',
	},
	'visitor.getAll': { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: false, limit: 10 },
	'visitor.update': {
		resource: 'visitor',
		operation: 'update',
		email: 'a@example.com',
		customerInfo: { field: [{ key: 'plan', value: 'gold' }] },
	},
	'push.send': {
		resource: 'pushNotification',
		operation: 'send',
		email: 'a@example.com',
		title: 'Your order shipped',
		message: 'It arrives tomorrow',
		bundleIds: 'com.zylker.app',
		badgeCount: 1,
	},
	'push.clearBadge': { resource: 'pushNotification', operation: 'clearBadge', email: 'a@example.com', bundleIds: 'com.zylker.app' },
};

export interface InputCase {
	id: string;
	operation: string;
	/** Parameters merged over the operation's valid ones. n8n itself stops a literally empty required field, so empty values come from expressions. */
	override: INodeParameters;
	/** The field the error message must name. */
	field: string;
	label: string;
}

const LONG = '1'.repeat(10_000);

const BASIC_INPUT_CASES: readonly InputCase[] = [
	{ id: 'INP-01', operation: 'chat.get', override: { chatId: 'a/b' }, field: 'Chat ID', label: 'Chat ID "a/b"' },
	{ id: 'INP-02', operation: 'chat.get', override: { chatId: '..' }, field: 'Chat ID', label: 'Chat ID ".."' },
	{ id: 'INP-03', operation: 'chat.get', override: { chatId: '282?limit=1' }, field: 'Chat ID', label: 'Chat ID "282?limit=1"' },
	{ id: 'INP-04', operation: 'chat.get', override: { chatId: '282#x' }, field: 'Chat ID', label: 'Chat ID "282#x"' },
	{ id: 'INP-05', operation: 'chat.get', override: { chatId: '282%2F..' }, field: 'Chat ID', label: 'Chat ID "282%2F.."' },
	{ id: 'INP-06', operation: 'chat.get', override: { chatId: '28 2' }, field: 'Chat ID', label: 'Chat ID with a space' },
	{ id: 'INP-07', operation: 'chat.get', override: { chatId: '28\u00002' }, field: 'Chat ID', label: 'Chat ID with a NUL control character' },
	{ id: 'INP-08', operation: 'chat.get', override: { chatId: LONG }, field: 'Chat ID', label: 'Chat ID of 10,000 characters' },
	{ id: 'INP-09', operation: 'chat.get', override: { chatId: '={{ "" }}' }, field: 'Chat ID', label: 'empty Chat ID (from an expression)' },
	{ id: 'INP-10', operation: 'transcript.get', override: { chatId: '../portals' }, field: 'Chat ID', label: 'Transcript Chat ID "../portals"' },
	{ id: 'INP-11', operation: 'attachment.getAll', override: { chatId: '%2e%2e' }, field: 'Chat ID', label: 'Attachment Chat ID "%2e%2e"' },
	{ id: 'INP-12', operation: 'attachment.download', override: { attachmentUrl: '/attachments/1/../A_1' }, field: 'Attachment', label: 'attachment URL with ".."' },
	{ id: 'INP-13', operation: 'attachment.download', override: { attachmentUrl: '/attachments/1/A_1?x=1' }, field: 'Attachment', label: 'attachment URL with "?"' },
	{ id: 'INP-14', operation: 'attachment.download', override: { attachmentUrl: '/attachments/1/A_1#frag' }, field: 'Attachment', label: 'attachment URL with "#"' },
	{ id: 'INP-15', operation: 'attachment.download', override: { attachmentUrl: '/attachments/1/A_1%2F..' }, field: 'Attachment', label: 'attachment URL with "%2F"' },
	{ id: 'INP-16', operation: 'attachment.download', override: { attachmentUrl: '/attachments/1/A 1' }, field: 'Attachment', label: 'attachment URL with a space' },
	{
		id: 'INP-17',
		operation: 'attachment.download',
		override: { attachmentUrl: '/attachments/1/A_1\r\nX-Injected: 1' },
		field: 'Attachment',
		label: 'attachment URL with CR LF control characters',
	},
	{ id: 'INP-18', operation: 'attachment.download', override: { attachmentUrl: `/attachments/1/A${LONG}` }, field: 'Attachment', label: 'attachment URL of 10,000 characters' },
	{ id: 'INP-19', operation: 'attachment.download', override: { attachmentUrl: '={{ "" }}' }, field: 'Attachment', label: 'empty attachment URL (from an expression)' },
	{
		id: 'INP-20',
		operation: 'attachment.download',
		override: { attachmentUrl: 'https://evil.example/attachments/1/A_1' },
		field: 'Attachment',
		label: 'attachment given as a full URL on another host',
	},
	{ id: 'INP-21', operation: 'visitor.update', override: { email: 'a/b@example.com' }, field: 'Email', label: 'Email "a/b@example.com"' },
	{ id: 'INP-22', operation: 'visitor.update', override: { email: 'a..b@example.com' }, field: 'Email', label: 'Email "a..b@example.com"' },
	{ id: 'INP-23', operation: 'visitor.update', override: { email: 'a?b@example.com' }, field: 'Email', label: 'Email "a?b@example.com"' },
	{ id: 'INP-24', operation: 'push.send', override: { email: 'a#b@example.com' }, field: 'Email', label: 'Push Email "a#b@example.com"' },
	{ id: 'INP-25', operation: 'visitor.update', override: { email: 'a%2Fb@example.com' }, field: 'Email', label: 'Email "a%2Fb@example.com"' },
	{ id: 'INP-26', operation: 'push.clearBadge', override: { email: 'a b@example.com' }, field: 'Email', label: 'Clear Badge Email with a space' },
	{ id: 'INP-27', operation: 'visitor.update', override: { email: 'a\u0007b@example.com' }, field: 'Email', label: 'Email with a BEL control character' },
	{ id: 'INP-28', operation: 'push.send', override: { email: `${LONG}@example.com` }, field: 'Email', label: 'Email of 10,000 characters' },
	{ id: 'INP-29', operation: 'push.send', override: { email: '={{ "" }}' }, field: 'Email', label: 'empty Email (from an expression)' },
	{ id: 'INP-30', operation: 'push.clearBadge', override: { email: 'not-an-email' }, field: 'Email', label: 'Email "not-an-email"' },
	{ id: 'INP-31', operation: 'visitor.update', override: { email: 'user@127.0.0.1' }, field: 'Email', label: 'Email on an IP address, "user@127.0.0.1"' },
	{
		id: 'INP-32',
		operation: 'visitor.update',
		override: { options: { customerInfoJson: '{"plan": ' } },
		field: 'Customer Info (JSON)',
		label: 'Customer Info (JSON) that is not valid JSON',
	},
	{
		id: 'INP-33',
		operation: 'visitor.update',
		override: { options: { customerInfoJson: '[1, 2]' } },
		field: 'Customer Info (JSON)',
		label: 'Customer Info (JSON) that is an array',
	},
	{
		id: 'INP-34',
		operation: 'push.send',
		override: { additionalFields: { additionalInfo: 'null' } },
		field: 'Additional Info (JSON)',
		label: 'Additional Info (JSON) that is null',
	},
	{
		id: 'INP-35',
		operation: 'visitor.update',
		override: { options: { customerInfoJson: '{"plan": {"tier": "gold"}}' } },
		field: 'Customer Info (JSON)',
		label: 'customer info value that is an object',
	},
	{
		id: 'INP-36',
		operation: 'visitor.update',
		override: { options: { customerInfoJson: '{"tags": ["a", "b"]}' } },
		field: 'Customer Info (JSON)',
		label: 'customer info value that is a list',
	},
	{
		id: 'INP-37',
		operation: 'chat.getAll',
		override: { filters: { fromTime: '2026-02-01T00:00:00Z', toTime: '2026-01-01T00:00:00Z' } },
		field: 'From Time',
		label: 'From Time after To Time',
	},
	{ id: 'INP-38', operation: 'chat.getAll', override: { limit: 0 }, field: 'Limit', label: 'Limit 0' },
	{ id: 'INP-39', operation: 'visitor.getAll', override: { limit: -5 }, field: 'Limit', label: 'Limit -5' },
	{ id: 'INP-40', operation: 'visitor.getAll', override: { limit: 1e12 }, field: 'Limit', label: 'Limit 1,000,000,000,000' },
	{ id: 'INP-41', operation: 'push.send', override: { bundleIds: ' , ' }, field: 'Bundle IDs', label: 'Bundle IDs " , " (empty)' },
	{ id: 'INP-42', operation: 'push.clearBadge', override: { bundleIds: '={{ "" }}' }, field: 'Bundle IDs', label: 'empty Bundle IDs (from an expression)' },
	{ id: 'INP-43', operation: 'push.send', override: { badgeCount: -1 }, field: 'Badge Count', label: 'Badge Count -1' },
	{ id: 'INP-44', operation: 'push.send', override: { badgeCount: 100_000 }, field: 'Badge Count', label: 'Badge Count 100,000' },
	{ id: 'INP-45', operation: 'push.send', override: { badgeCount: 1.5 }, field: 'Badge Count', label: 'Badge Count 1.5' },
	{
		id: 'INP-46',
		operation: 'chat.get',
		override: { options: { screenName: 'zylker/../admin' } },
		field: 'screen name',
		label: 'Portal (screen name) "zylker/../admin"',
	},
	{ id: 'INP-47', operation: 'visitor.getAll', override: { options: { screenName: 'a/b' } }, field: 'screen name', label: 'Portal (screen name) "a/b"' },
	{ id: 'INP-48', operation: 'visitor.getAll', override: { viewId: '-1/../x' }, field: 'View', label: 'View "-1/../x"' },
];

export const INPUT_CASES: readonly InputCase[] = [...BASIC_INPUT_CASES, ...HOSTILE_INPUT_CASES];

export function inputParameters(c: InputCase): INodeParameters {
	return { ...VALID_PARAMETERS[c.operation], ...c.override };
}

function inputCases(): ReliabilityCase[] {
	return INPUT_CASES.map((c) => ({
		id: c.id,
		area: 'Input',
		injected: `${c.label} (${c.operation})`,
		expected: `NodeOperationError naming "${c.field}"; no request is sent`,
	}));
}

// ---------------------------------------------------------------------------------------------
// Everything else, one row each.

const FIXED: readonly ReliabilityCase[] = [
	// Paging
	{ id: 'PAG-01', area: 'Paging', injected: '10,000-chat export, HTTP 503 at page 37', expected: 'retries; every chat of the dataset exactly once (compared by chat_id)' },
	{ id: 'PAG-02', area: 'Paging', injected: '10,000-chat export, connection reset at page 37', expected: 'retries; every chat exactly once' },
	{ id: 'PAG-03', area: 'Paging', injected: '10,000-chat export, HTTP 429 (Retry-After: 0) at page 37', expected: 'waits and retries; every chat exactly once' },
	{ id: 'PAG-04', area: 'Paging', injected: '10,000-chat export, HTTP 503 at page 37, Retry on Server Errors off', expected: 'one clear error naming HTTP 503; no chat returned, never a partial list' },
	{ id: 'PAG-05', area: 'Paging', injected: 'as PAG-04, with Continue On Fail', expected: 'exactly one error item for the input item; no chat returned' },
	{ id: 'PAG-06', area: 'Paging', injected: '10,000-chat export, HTTP 503 on every request from page 37 on', expected: 'gives up after 3 tries at page 37 with a clear error; no partial list' },
	{ id: 'PAG-07', area: 'Paging', injected: '10,000-chat export, no answer at page 37 (Timeout 300 ms)', expected: 'a timeout error; no partial list; the execution ends' },
	{ id: 'PAG-08', area: 'Paging', injected: '10,000-chat export, truncated JSON at page 37', expected: 'one clear error; no partial list' },
	{ id: 'PAG-09', area: 'Paging', injected: '10,000-chat export while 3 bursts of 50 new chats arrive', expected: 'no duplicates; every chat that existed at the start is present' },
	{ id: 'PAG-10', area: 'Paging', injected: 'export of a window whose To Time is in the future, while new chats arrive inside it', expected: 'no duplicates; every chat of the window that existed at the start is present' },
	{ id: 'PAG-11', area: 'Paging', injected: 'new chats arrive at the very millisecond the export is paging at', expected: 'no duplicates; every chat that existed at the start is present' },
	{ id: 'PAG-12', area: 'Paging', injected: '250-visitor export (startkey paging), HTTP 502 at page 2', expected: 'retries; every visitor exactly once' },
	{ id: 'PAG-13', area: 'Paging', injected: 'long transcript (time-window paging), HTTP 500 at page 2', expected: 'retries; every message exactly once, in order' },
	// Tokens
	{ id: 'TOK-01', area: 'Tokens', injected: '50 input items, expired access token (HTTP 401)', expected: 'exactly one refresh at the token endpoint; 50 chats returned' },
	{ id: 'TOK-02', area: 'Tokens', injected: '50 input items, expired access token, errors as HTTP 200 (code 1008)', expected: 'exactly one refresh; 50 chats returned' },
	{ id: 'TOK-03', area: 'Tokens', injected: 'code 1008 in an HTTP 200 body, once', expected: 'one refresh, then the request again with the new token; the result' },
	{
		id: 'TOK-04',
		area: 'Tokens',
		injected: 'revoked refresh token (token endpoint: HTTP 200 {"error":"invalid_code"}), 5 items, Continue On Fail',
		expected: 'n8n\'s "credential needs to be reconnected" error on every item; one refresh attempt in all, no loop',
	},
	{ id: 'TOK-05', area: 'Tokens', injected: 'as TOK-04 with errors as HTTP 200 (code 1008)', expected: 'the reconnect error; one refresh attempt, one API request' },
	{
		id: 'TOK-06',
		area: 'Tokens',
		injected: 'refresh token evicted by 20 newer connections of the same app',
		expected: 'the reconnect error; one refresh attempt',
	},
	{
		id: 'TOK-07',
		area: 'Tokens',
		injected: 'token endpoint answers HTTP 400 {"error":"invalid_grant"}, 3 items, Continue On Fail',
		expected: 'the reconnect error on every item; one refresh attempt',
	},
	{
		id: 'TOK-08',
		area: 'Tokens',
		injected: 'refresh limit used up (token endpoint: {"error":"Access Denied"}), 3 items, Continue On Fail',
		expected: 'an error about Zoho\'s limit of 10 refreshes in 10 minutes on every item; one refresh attempt',
	},
	{
		id: 'TOK-09',
		area: 'Tokens',
		injected: 'token endpoint answers HTTP 500, 3 items, Continue On Fail',
		expected: 'an error that says Zoho Accounts failed (not SalesIQ); one refresh attempt, no retries',
	},
	{
		id: 'TOK-10',
		area: 'Tokens',
		injected: 'token endpoint never answers (Timeout 300 ms)',
		expected: 'an error within 3 x Timeout instead of n8n\'s 5-minute token timeout; the execution ends',
	},
	{ id: 'TOK-11', area: 'Tokens', injected: 'push notification, HTTP 503 on the POST', expected: 'not retried: 1 request, the notification is not sent twice, a clear error' },
	{ id: 'TOK-12', area: 'Tokens', injected: 'push notification, connection reset on the POST', expected: 'not retried: 1 request, a clear error' },
	{
		id: 'TOK-13',
		area: 'Tokens',
		injected: 'push notification, SalesIQ processes the POST but answers after the Timeout',
		expected: 'a timeout error, no retry: SalesIQ records exactly one notification',
	},
	{ id: 'TOK-14', area: 'Tokens', injected: 'push notification, HTTP 429 on the POST, once', expected: 'retried (SalesIQ refused it): exactly one notification sent' },
	// Secrets
	{
		id: 'SEC-01',
		area: 'Secrets',
		injected: 'every run of the suite (all files)',
		expected: 'no access token, refresh token or client secret in any error message, description, cause, stack, output item or run data',
	},
	{
		id: 'SEC-02',
		area: 'Secrets',
		injected: 'every run of the suite, n8n logger at debug level',
		expected: 'no access token, refresh token or client secret in any log line (console, stdout, stderr)',
	},
	{ id: 'SEC-03', area: 'Secrets', injected: 'SalesIQ echoes the request\'s Authorization header in an error message', expected: 'the token is redacted from the error' },
	// Hosts
	{
		id: 'HOST-01',
		area: 'Hosts',
		injected: 'every run of the suite (all files), every outgoing HTTP request recorded',
		expected: 'the access token goes only to the credential\'s SalesIQ host under /api/; download links never get it; no other host is contacted',
	},
	{ id: 'HOST-02', area: 'Hosts', injected: 'Custom data center with a Custom API URL', expected: 'every API request goes to the Custom URL\'s host' },
	{ id: 'HOST-03', area: 'Hosts', injected: 'each of the 9 data centers', expected: 'the token goes only to that data center\'s SalesIQ host' },
	{ id: 'HOST-04', area: 'Hosts', injected: 'download_url on another host', expected: 'refused before any request to it' },
	{ id: 'HOST-05', area: 'Hosts', injected: 'download_url on the same host name but another port', expected: 'refused before any request to it' },
	{ id: 'HOST-06', area: 'Hosts', injected: 'download_url "http://<api host>@<other host>/" (user-info trick)', expected: 'refused before any request to it' },
	{ id: 'HOST-07', area: 'Hosts', injected: 'download link that redirects to another host', expected: 'the redirect is not followed; the other host gets no request' },
	{ id: 'HOST-08', area: 'Hosts', injected: 'Chat ID "x@<other host>"', expected: 'refused; no request to any host' },
	{ id: 'HOST-09', area: 'Hosts', injected: 'Email "user@<other host name>" (Visitor > Update)', expected: 'stays an encoded path segment: the request goes to the SalesIQ host' },
	{ id: 'HOST-10', area: 'Hosts', injected: 'Attachment "//<other host>/attachments/1/A_1"', expected: 'refused; no request to any host' },
	{ id: 'HOST-11', area: 'Hosts', injected: 'Portal (screen name) "@<other host>" and "<other host>"', expected: 'refused or kept in the path; never the host' },
	{ id: 'HOST-12', area: 'Hosts', injected: 'SalesIQ answers with entries that are not objects or data that is not a chat', expected: 'one clear error; never an undefined or null item' },
	// Trigger
	{ id: 'TRG-01', area: 'Trigger', injected: 'a correctly signed delivery (control)', expected: 'exactly one execution' },
	{ id: 'TRG-02', area: 'Trigger', injected: 'a delivery signed with another RSA key (forged)', expected: 'HTTP 401; no execution' },
	{ id: 'TRG-03', area: 'Trigger', injected: 'a signed delivery whose body was changed after signing (tampered)', expected: 'HTTP 401; no execution' },
	{ id: 'TRG-04', area: 'Trigger', injected: 'the same signed delivery sent twice (replayed)', expected: 'the copy starts no execution' },
	{ id: 'TRG-05', area: 'Trigger', injected: 'a delivery without a signature', expected: 'HTTP 401; no execution' },
	{ id: 'TRG-06', area: 'Trigger', injected: 'a body over 1 MB', expected: 'HTTP 413 before it is verified or parsed; no execution' },
];

/** The order of the areas, in this table and in the doc. */
export const AREA_ORDER: readonly Area[] = ['Faults', 'Paging', 'Tokens', 'Input', 'Secrets', 'Hosts', 'Server', 'Trigger'];

export const CASES: readonly ReliabilityCase[] = [...matrixCases(), ...FIXED, ...HOSTILE_CASES, ...inputCases()].sort(
	(a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area),
);

const byId = new Map(CASES.map((c) => [c.id, c]));
if (byId.size !== CASES.length) throw new Error('Duplicate case ids in test/reliability/cases.ts');

/** The title of a test that checks case `id`: the id, then what is injected. */
export function caseTitle(id: string, detail?: string): string {
	const found = byId.get(id);
	if (!found) throw new Error(`Unknown reliability case ${id}`);
	return `${id}: ${detail ?? found.injected}`;
}

/** The case id a test title starts with. */
export function caseIdOf(title: string): string | undefined {
	const id = /^([A-Z]+-[A-Za-z0-9.-]+):/.exec(title)?.[1];
	return id !== undefined && byId.has(id) ? id : undefined;
}
