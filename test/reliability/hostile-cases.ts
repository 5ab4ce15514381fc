/**
 * The cases of a hostile or broken server, and the inputs that go with them (redirects, endless
 * paging, deadlines, response sizes, secrets in Zoho Accounts' answers, the refresh budget, server
 * text, replays). cases.ts merges these rows into its tables; the tests live in redirects.test.ts,
 * endless.test.ts, limits.test.ts, budget.test.ts and trigger.test.ts.
 */
import type { InputCase, ReliabilityCase } from './cases';

/** Statuses that redirect, all of which the node must refuse to follow to another host. */
export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;

/** The Return All safety cap, as documented (see nodes/ZohoSalesIq/transport/paging.ts). */
export const RETURN_ALL_CAP = { items: '1,000,000 items', requests: '20,000 requests' };

export const HOSTILE_CASES: readonly ReliabilityCase[] = [
	// Where the token goes: redirects of API calls
	...REDIRECT_STATUSES.map(
		(status): ReliabilityCase => ({
			id: `HOST-13-${status}`,
			area: 'Hosts',
			injected: `Chat > Get answered with HTTP ${status} to another host`,
			expected: 'not followed: an error naming the other host; the other host gets no request and never sees the token',
		}),
	),
	{
		id: 'HOST-14',
		area: 'Hosts',
		injected: 'Visitor > Get Many (Return All): the second page answered with HTTP 302 to another host',
		expected: 'not followed: an error naming the other host, no items; the other host gets no request',
	},
	...(['302', '303'] as const).map(
		(status): ReliabilityCase => ({
			id: `HOST-15-${status}`,
			area: 'Hosts',
			injected: `Push Notification > Send (POST) answered with HTTP ${status} to another host`,
			expected: 'never reported as sent: an error naming the other host; the other host gets no request',
		}),
	),
	...(['307', '308'] as const).map(
		(status): ReliabilityCase => ({
			id: `HOST-16-${status}`,
			area: 'Hosts',
			injected: `Visitor > Update (PUT) answered with HTTP ${status} to another host`,
			expected: 'not followed: an error naming the other host; the other host gets no request',
		}),
	),
	{
		id: 'HOST-17',
		area: 'Hosts',
		injected: 'a write (Push Notification > Send) answered with HTTP 307 to another path on the same SalesIQ host',
		expected: 'not followed (1 request): an error, the write is not sent again',
	},
	{
		id: 'HOST-18',
		area: 'Hosts',
		injected: 'a read (Chat > Get) answered with HTTP 302 to another path on the same SalesIQ host',
		expected: 'followed, with the token, on the same origin only; the chat is returned',
	},
	{
		id: 'HOST-19',
		area: 'Hosts',
		injected: 'a redirect whose Location carries a query (email, token) on another host',
		expected: 'the error names the host only; the query appears nowhere in the error',
	},
	// Paging that never ends
	{
		id: 'PAG-14',
		area: 'Paging',
		injected: 'Visitor > Get Many, Return All: every page holds the same 100 visitors and a new startkey',
		expected: 'ends after the page that brings nothing new: 100 visitors, 2 requests; memory stays flat',
	},
	{
		id: 'PAG-15',
		area: 'Paging',
		injected: 'Chat > Get Many, Return All: every chat has the same millisecond and every page brings 100 new chat ids',
		expected: 'stops with an error that says what SalesIQ did, after a few requests; memory stays flat',
	},
	{
		id: 'PAG-16',
		area: 'Paging',
		injected: 'Chat > Get Many, Return All with From Time: SalesIQ ignores the window and always has older chats',
		expected: 'ends at From Time: exactly the chats of the window, a handful of requests',
	},
	{
		id: 'PAG-17',
		area: 'Paging',
		injected: 'Chat > Get Many, Return All with To Time: SalesIQ ignores the window and sends the same newer chats again',
		expected: 'an error that says SalesIQ ignored the time range (not "more than 100 chats share the time")',
	},
	{
		id: 'PAG-18',
		area: 'Paging',
		injected: 'an endless list that always brings new entries (time-window and startkey paging)',
		expected: `stops at the Return All cap (${RETURN_ALL_CAP.items} or ${RETURN_ALL_CAP.requests} per item) with a clear error, never a silently short list`,
	},
	// Deadlines
	{
		id: 'TIME-01',
		area: 'Faults',
		injected: 'Attachment > Download: the file trickles 1 byte every 100 ms, Timeout 500 ms',
		expected: 'fails within about 500 ms with an error naming 500 ms; the download connection is closed',
	},
	{
		id: 'TIME-02',
		area: 'Faults',
		injected: 'Chat > Get: the response body trickles after its headers, Timeout 500 ms',
		expected: 'a timeout error about the response, no refresh and no remembered failed refresh; the next run against a healthy API succeeds',
	},
	// Tokens: the refresh budget and the 401 body
	{
		id: 'TOK-15',
		area: 'Tokens',
		injected: '100 items with Continue On Fail, SalesIQ rejects every token, even fresh ones (code 1008, HTTP 200)',
		expected: 'at most 1 refresh; every item fails with an error naming the data center and the screen name',
	},
	{
		id: 'TOK-16',
		area: 'Tokens',
		injected: 'as TOK-15 with HTTP 401 and code 1008',
		expected: 'at most 1 refresh; every item fails with the same clear error',
	},
	{
		id: 'TOK-17',
		area: 'Tokens',
		injected: 'SalesIQ rejects every token; the token endpoint returns the same access token again',
		expected: 'at most 1 refresh; a clear error',
	},
	{
		id: 'TOK-18',
		area: 'Tokens',
		injected: 'SalesIQ rejects every token; the token endpoint answers {}',
		expected: 'at most 1 refresh; a clear error',
	},
	{
		id: 'TOK-19',
		area: 'Tokens',
		injected: 'SalesIQ rejects every token; 12 executions in a row without Continue On Fail (a schedule every minute)',
		expected: 'at most 2 refreshes in all (Zoho allows 10 in 10 minutes)',
	},
	{
		id: 'TOK-20',
		area: 'Tokens',
		injected: 'HTTP 401 with code 1009 (missing scope)',
		expected: 'no refresh at all; error 1009 naming the scope to grant',
	},
	{
		id: 'TOK-21',
		area: 'Tokens',
		injected: 'HTTP 401 with the text "invalid oauthscope"',
		expected: 'no refresh at all; an error about the missing scope',
	},
	{
		id: 'TOK-22',
		area: 'Tokens',
		injected: 'HTTP 401 with an empty body, once',
		expected: 'one refresh, then the request again with the new token; the result',
	},
	// Secrets in what Zoho Accounts and SalesIQ answer
	{
		id: 'SEC-04',
		area: 'Secrets',
		injected: 'the token endpoint answers {"error": "<client secret>"} with HTTP 400',
		expected: 'the client secret appears nowhere in the error',
	},
	{
		id: 'SEC-05',
		area: 'Secrets',
		injected: 'the token endpoint answers {"error": "<refresh token>"} with HTTP 200',
		expected: 'no part of the refresh token appears in the error',
	},
	{
		id: 'SEC-06',
		area: 'Secrets',
		injected: 'SalesIQ echoes the access token in the param, json_key or header of an error',
		expected: 'redacted in the message and in the stored error response',
	},
	{
		id: 'SEC-07',
		area: 'Secrets',
		injected: 'SalesIQ echoes an access token the node obtained by a refresh during the run',
		expected: 'the new token is redacted too',
	},
	// Answers the node cannot trust
	{
		id: 'SRV-01',
		area: 'Server',
		injected: 'a Zoho error message with CR/LF and ANSI escape sequences',
		expected: 'no control character in the error message or description',
	},
	{
		id: 'SRV-02',
		area: 'Server',
		injected: 'a Zoho error message of 2 MB',
		expected: 'an error of bounded length (under 1,000 characters)',
	},
	{
		id: 'SRV-03',
		area: 'Server',
		injected: 'Transcript > Get: an entry with time 9e15 (past the largest date)',
		expected: 'no RangeError: the entry is returned with an empty ISO time',
	},
	{
		id: 'SRV-04',
		area: 'Server',
		injected: 'a JSON response larger than the fixed cap (16 MB)',
		expected: 'a clear error naming the cap; the rest is not read',
	},
	{
		id: 'SRV-05',
		area: 'Server',
		injected: 'Attachment > Download: a file larger than the Max File Size option',
		expected: 'a clear error naming the size cap; the rest is not read',
	},
	{
		id: 'SRV-06',
		area: 'Server',
		injected: 'Attachment > Download: Content-Disposition names "../../.ssh/authorized_keys" and a name with CR/LF',
		expected: 'fileName is the base name only, without control characters',
	},
	// Trigger
	{
		id: 'TRG-07',
		area: 'Trigger',
		injected: 'a correctly signed delivery from 2020, replayed after 500 newer deliveries',
		expected: 'refused as too old (HTTP 200, "stale delivery"); no execution',
	},
	{
		id: 'TRG-08',
		area: 'Trigger',
		injected: 'two deliveries without event_time for the same event and conversation, with different messages',
		expected: 'two executions: distinct events never share a redelivery key',
	},
	{
		id: 'TRG-09',
		area: 'Trigger',
		injected: 'two reply events of one conversation at the same event_time, with different message ids',
		expected: 'two executions; a redelivery of either starts none',
	},
	{
		id: 'TRG-10',
		area: 'Trigger',
		injected: 'Verify Signature on, no public key stored (lost, or not yet received), a delivery with any x-siqsignature',
		expected: 'HTTP 401; no execution',
	},
];

export const HOSTILE_INPUT_CASES: readonly InputCase[] = [
	{ id: 'INP-49', operation: 'chat.get', override: { options: { timeout: 2147483648 } }, field: 'Timeout', label: 'Timeout 2,147,483,648 ms' },
	{ id: 'INP-50', operation: 'chat.get', override: { options: { timeout: '={{ 0.5 }}' } }, field: 'Timeout', label: 'Timeout 0.5 (from an expression)' },
	{
		id: 'INP-51',
		operation: 'chat.getAll',
		override: { filters: { fromTime: '9999999999999999', toTime: '9000000000000000' } },
		field: 'From Time',
		label: 'From Time 9999999999999999 and To Time 9000000000000000 (past the largest date)',
	},
	{ id: 'INP-52', operation: 'visitor.update', override: { email: 'user@localhost' }, field: 'Email', label: 'Email with a one-word domain, "user@localhost"' },
	{ id: 'INP-53', operation: 'visitor.update', override: { email: '.a@x.com' }, field: 'Email', label: 'Email ".a@x.com"' },
	{ id: 'INP-54', operation: 'push.send', override: { email: 'a.@x.com' }, field: 'Email', label: 'Email "a.@x.com"' },
	{ id: 'INP-55', operation: 'visitor.update', override: { email: `${'a'.repeat(65)}@x.com` }, field: 'Email', label: 'Email with a 65-character local part' },
	{
		id: 'INP-56',
		operation: 'visitor.update',
		override: { customerInfo: {}, options: { customerInfoJson: '{"__proto__": "gold"}' } },
		field: '__proto__',
		label: 'customer info key "__proto__" alone',
	},
	{
		id: 'INP-57',
		operation: 'visitor.update',
		override: { customerInfo: { field: [{ key: 'plan', value: 'gold' }, { key: '__proto__', value: 'x' }] } },
		field: '__proto__',
		label: 'customer info field with the key "__proto__" next to a valid one',
	},
];
