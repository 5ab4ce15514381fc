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
];

export const HOSTILE_INPUT_CASES: readonly InputCase[] = [];
