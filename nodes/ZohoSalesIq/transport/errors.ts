import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isControlCode, scrubDeep, serverText, type Secrets } from './redaction';

/** Zoho's error body: `{"error":{"code":1005,"message":"..."}}`, sometimes with `param`, `json_key` or `header`. */
export interface ZohoErrorBody {
	code: number;
	message: string;
	param?: string;
}

/** What a failed call looked like, as far as the error mapper needs to know. */
export interface ErrorContext {
	httpStatus?: number;
	screenName?: string;
	/** The scope this endpoint needs, for error 1009. */
	scope?: string;
	itemIndex?: number;
	/** Secret values (tokens, client secret) that must never be echoed: the run's set, which grows with refreshes. */
	secrets?: Secrets;
	/** Added after the hint, e.g. what the node already tried. */
	note?: string;
}

const CHAT_NOT_FOUND = (ctx: ErrorContext) =>
	`No chat with this ID exists in the portal${ctx.screenName ? ` "${ctx.screenName}"` : ''}. Check the Chat ID (use the chat_id from Chat > Get Many) and the Portal option.`;
const ATTACHMENT_NOT_FOUND =
	'No such attachment in this chat. Use Attachment > Get Many on the same chat and pass its url (or file ID) to Download.';
const DEPARTMENT_DENIED =
	'This chat belongs to a department the connected operator is not a member of. Connect the credential with an operator who can see that department.';

/** Zoho code -> a hint that tells the user what to do. */
const HINTS: Record<number, string | ((ctx: ErrorContext) => string)> = {
	1002: 'The authorization header was rejected. Reconnect the Zoho SalesIQ credential.',
	1005: (ctx) =>
		`Check the screen name${ctx.screenName ? ` ("${ctx.screenName}")` : ''}: it is the part of the SalesIQ address after the domain, for example zylker in salesiq.zoho.com/zylker/index. Fix it in the credential or pick the right portal in the node's Portal option. Also check that the credential's data center is the one your account lives in.`,
	1006: 'SalesIQ does not know this URL. Check the credential’s data center or Custom API URL.',
	1008: 'The access token is invalid or expired and could not be renewed. Reconnect the Zoho SalesIQ credential.',
	1009: (ctx) =>
		`The credential was not granted the scope ${ctx.scope ?? 'this operation needs'}. Reconnect the Zoho SalesIQ credential (open it and click Reconnect) so Zoho asks for every scope the node needs.`,
	1011: 'A parameter is missing or invalid. Check the field named in the message.',
	1016: 'The connected operator is not allowed to do this. Connect the credential with an administrator or a supervisor.',
	1017: 'Your SalesIQ plan has reached a resource limit.',
	1021: 'This operation is not available in your SalesIQ plan.',
	1023: 'SalesIQ is throttling requests from this IP. Wait a few minutes, then lower the request rate (for example with fewer items per run or a Wait node).',
	2021: CHAT_NOT_FOUND,
	2022: DEPARTMENT_DENIED,
	2031: CHAT_NOT_FOUND,
	2032: 'A missed chat has no transcript. Skip chats that have a missed_time (for example with an If node) before asking for transcripts.',
	2033: DEPARTMENT_DENIED,
	2041: CHAT_NOT_FOUND,
	2042: ATTACHMENT_NOT_FOUND,
	2043: ATTACHMENT_NOT_FOUND,
	2044: DEPARTMENT_DENIED,
	2311: 'No visitor with this email exists in the portal. SalesIQ only knows visitors who have chatted or were identified with this email; check the spelling.',
};

/**
 * User input as it may appear inside a message: cut to `max` characters, with control characters
 * escaped, so that a value can never forge a line in a log.
 */
export function shown(value: string, max = 60): string {
	const cut = value.length > max ? `${value.slice(0, max)}…` : value;
	let out = '';
	for (let i = 0; i < cut.length; i++) {
		const code = cut.charCodeAt(i);
		out += isControlCode(code) || code === 0x2028 || code === 0x2029 ? `\\u${code.toString(16).padStart(4, '0')}` : cut[i];
	}
	return out;
}

/** A message as the start of a sentence that ends with exactly one period. */
export function sentence(text: string): string {
	return `${text.trim().replace(/[.\s]+$/, '')}.`;
}

/** What was wrong with a response body that is not the JSON the node expected. */
export function describeBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'The response body was empty.';
	if (typeof body === 'string') {
		return /^\s*</.test(body)
			? 'The response was an HTML page, not JSON (a proxy, login or maintenance page?).'
			: 'The response was not valid JSON.';
	}
	if (Buffer.isBuffer(body)) return 'The response was binary, not JSON.';
	return 'The response had an unexpected shape.';
}

/** Zoho Accounts refused a refresh with this `error`: it stops more refreshes with the same token. */
export function isRefreshLimit(zohoError: string): boolean {
	return /access denied/i.test(zohoError);
}

/**
 * Zoho Accounts did not renew the access token. "Access Denied" is its refresh limit; anything else
 * (invalid_code, invalid_grant, invalid_client) means the credential must be reconnected, which is
 * the error n8n itself raises for a revoked grant.
 */
export function refreshRefusedError(
	node: INode,
	zohoError: string,
	credentialName: string | undefined,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (isRefreshLimit(zohoError)) {
		return new NodeApiError(
			node,
			{ reason: 'token-limit', error: 'Access Denied' },
			{
				message: 'Zoho refused to renew the access token: too many token refreshes',
				description:
					'Zoho Accounts issues at most 10 access tokens per refresh token in any 10 minutes, and answered "Access Denied". Wait 10 minutes, then run the workflow again. Workflows that use this credential share the limit, so spread their schedules out.',
				itemIndex,
				failure: { cause: 'rate-limited', retryAfterMs: 600_000 },
			},
		);
	}
	const label = credentialName ? `"${shown(credentialName, 100)}"` : 'of type "zohoSalesIqOAuth2Api"';
	// Only an error code is shown ("invalid_code"): never a value that could be a secret echoed back.
	const code = /^[A-Za-z][A-Za-z _-]{0,39}$/.test(zohoError.trim()) ? zohoError.trim() : '';
	return new NodeOperationError(node, `The credential ${label} needs to be reconnected.`, {
		description: `Zoho did not renew the access token${code ? ` (${code})` : ''}: the refresh token was revoked or has expired, or Zoho dropped it because the app was connected more than 20 times. Open the credential and reconnect it to continue.`,
		itemIndex,
		level: 'warning',
		failure: { cause: 'credential-invalid' },
	});
}

/** n8n's token refresh failed before Zoho Accounts could say yes or no: down, unreachable, odd answer. */
export function tokenEndpointError(node: INode, detail: string, itemIndex?: number, secrets: Secrets = []): NodeApiError {
	return new NodeApiError(
		node,
		{ reason: 'token-endpoint' },
		{
			message: 'Zoho Accounts did not renew the access token',
			description: `${serverText(detail, secrets)} The access token had expired, so the node could not call SalesIQ. This is usually temporary: try again in a few minutes. If it keeps happening, check the data center (or Custom Accounts URL) of the credential.`,
			itemIndex,
			failure: { cause: 'temporarily-unavailable' },
		},
	);
}

/** Reads Zoho's error object from a response body, whatever the HTTP status. */
export function readZohoError(body: unknown): ZohoErrorBody | undefined {
	if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
	const error = (body as { error: unknown }).error;
	if (typeof error === 'object' && error !== null) {
		const { code, message, param, json_key: jsonKey, header } = error as Record<string, unknown>;
		const numeric = Number(code);
		return {
			code: Number.isFinite(numeric) ? numeric : 0,
			message: typeof message === 'string' ? message : 'Unknown error',
			param: [param, jsonKey, header].find((v): v is string => typeof v === 'string'),
		};
	}
	if (typeof error === 'string') return { code: 0, message: error };
	return undefined;
}

/** The hint for a Zoho error code: what the user should do. Undefined for codes without one. */
export function zohoHint(code: number, ctx: ErrorContext): string | undefined {
	const hint = HINTS[code];
	return typeof hint === 'function' ? hint(ctx) : hint;
}

/** A Zoho error body as a NodeApiError with Zoho's code and message and a hint. Zoho's text is server text. */
export function zohoApiError(node: INode, zoho: ZohoErrorBody, ctx: ErrorContext): NodeApiError {
	const hintText = zohoHint(zoho.code, ctx);
	const zohoMessage = serverText(zoho.message, ctx.secrets);
	const param = zoho.param === undefined ? undefined : serverText(zoho.param, ctx.secrets, 100);
	const paramText = param ? ` (parameter: ${param})` : '';
	const errorResponse: JsonObject = {
		code: zoho.code,
		message: zohoMessage,
		...(param ? { param } : {}),
		...(ctx.httpStatus !== undefined ? { httpStatus: ctx.httpStatus } : {}),
	};
	const description = [hintText ?? (ctx.httpStatus ? `SalesIQ answered with HTTP ${ctx.httpStatus}.` : undefined), ctx.note]
		.filter(Boolean)
		.join(' ');
	return new NodeApiError(node, errorResponse, {
		message: `Zoho SalesIQ error ${zoho.code || 'unknown'}: ${zohoMessage}${paramText}`,
		description: description ? serverText(description, ctx.secrets, 2000) : undefined,
		httpCode: ctx.httpStatus !== undefined ? String(ctx.httpStatus) : undefined,
		itemIndex: ctx.itemIndex,
	});
}

/** A failure with no Zoho error body: timeouts, dropped connections, odd bodies, HTTP errors. */
export function transportError(
	node: INode,
	message: string,
	description: string,
	ctx: ErrorContext & { reason: string },
): NodeApiError {
	const errorResponse: JsonObject = {
		reason: ctx.reason,
		...(ctx.httpStatus !== undefined ? { httpStatus: ctx.httpStatus } : {}),
	};
	return new NodeApiError(node, scrubDeep(errorResponse, ctx.secrets ?? []), {
		message: serverText(message, ctx.secrets, 500),
		description: serverText([description, ctx.note].filter(Boolean).join(' '), ctx.secrets, 2000),
		httpCode: ctx.httpStatus !== undefined ? String(ctx.httpStatus) : undefined,
		itemIndex: ctx.itemIndex,
	});
}
