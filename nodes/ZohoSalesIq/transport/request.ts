import { createHash } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { resolveApiUrl, type ZohoEndpointSettings } from './dataCenters';
import {
	isRefreshLimit,
	readZohoError,
	refreshRefusedError,
	shown,
	tokenEndpointError,
	transportError,
	zohoApiError,
	type ErrorContext,
} from './errors';
import { scopeForRequest } from './scopes';
import { buildApiUrl, isValidScreenName, parseApiOrigin } from './url';

export { encodeSegment } from './url';

export type SalesIqContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export const CREDENTIAL_TYPE = 'zohoSalesIqOAuth2Api';

/** Used when the node's Timeout option is not set. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface SalesIqRequestOptions {
	method: IHttpRequestMethods;
	version: 'v1' | 'v2';
	/** Path after /api/{version}/{screen}, starting with '/'; build dynamic parts with encodeSegment(). */
	path: string;
	/** true: /api/{version}{path} with no screen name (portal-level calls such as GET /api/v2/portals). */
	withoutScreen?: boolean;
	qs?: IDataObject;
	body?: IDataObject;
	/** Overrides the credential's screen name (the "Portal" option). Validated: no '/', '?', '#', etc. */
	screenName?: string;
	itemIndex?: number;
	/** Request timeout in ms. */
	timeout?: number;
	/** Retry a GET after HTTP 500/502/503/504 or a dropped connection (default true). Never applies to other methods. */
	retryOnServerErrors?: boolean;
}

interface SalesIqCredentials extends ZohoEndpointSettings {
	screenName?: string;
	clientSecret?: string;
	oauthTokenData?: { access_token?: string; refresh_token?: string };
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Tries after throttling (HTTP 429 or code 1023) before giving up. */
const THROTTLE_RETRIES = 3;
/** Longest Retry-After the node is willing to wait, in seconds. */
const MAX_RETRY_AFTER_S = 60;
/** Extra tries for an idempotent GET after a server error or a dropped connection. */
const SERVER_ERROR_RETRIES = 2;
const SERVER_ERROR_BACKOFF_MS = 300;
const RETRIABLE_STATUSES = new Set([500, 502, 503, 504]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** One authenticated call may take the request, a token refresh and the retried request: each up to the timeout. */
const CALL_DEADLINE_FACTOR = 3;
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Access tokens whose renewal failed, by hash. A request with such a token fails at once instead
 * of asking Zoho Accounts again: every refresh attempt counts against Zoho's limit of 10 per 10
 * minutes, and a revoked grant never recovers. Reconnecting the credential, or a refresh that
 * worked elsewhere, stores a new token, which is not in this list.
 */
type RefreshFailure = (node: INode, itemIndex?: number) => NodeApiError | NodeOperationError;
const failedRefreshes = new Map<string, { fail: RefreshFailure; until: number }>();
const FAILED_REFRESH_ENTRIES = 100;
/** How long to fail fast: after Zoho's "Access Denied", a revoked grant, an unreachable token endpoint. */
const REFRESH_LIMIT_PAUSE_MS = 60_000;
const REVOKED_GRANT_PAUSE_MS = 600_000;
const TOKEN_ENDPOINT_PAUSE_MS = 30_000;

function tokenKey(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

function failedRefreshFor(token: string | undefined): RefreshFailure | undefined {
	if (!token) return undefined;
	const key = tokenKey(token);
	const entry = failedRefreshes.get(key);
	if (!entry) return undefined;
	if (entry.until > Date.now()) return entry.fail;
	failedRefreshes.delete(key);
	return undefined;
}

function rememberFailedRefresh(token: string | undefined, fail: RefreshFailure, pauseMs: number): void {
	if (!token) return;
	const key = tokenKey(token);
	failedRefreshes.delete(key);
	failedRefreshes.set(key, { fail, until: Date.now() + pauseMs });
	while (failedRefreshes.size > FAILED_REFRESH_ENTRIES) failedRefreshes.delete(failedRefreshes.keys().next().value as string);
}

/** A refresh of `token` failed: remember it, and return the error for this item. */
function refreshFailed(
	node: INode,
	token: string | undefined,
	failure: { tokenError?: string; tokenEndpoint?: string },
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	const { tokenError } = failure;
	const fail: RefreshFailure =
		tokenError !== undefined
			? (n, i) => refreshRefusedError(n, tokenError, credentialNameOf(n), i)
			: (n, i) => tokenEndpointError(n, failure.tokenEndpoint ?? 'The token request failed.', i);
	const pause =
		tokenError === undefined ? TOKEN_ENDPOINT_PAUSE_MS : isRefreshLimit(tokenError) ? REFRESH_LIMIT_PAUSE_MS : REVOKED_GRANT_PAUSE_MS;
	rememberFailedRefresh(token, fail, pause);
	return fail(node, itemIndex);
}

const PAST_DEADLINE = Symbol('past deadline');

/**
 * Waits for `work`, but no longer than `ms`. n8n's token refresh runs inside the authenticated
 * request with a timeout the node cannot set (5 minutes in n8n's OAuth2 client), so a hung Zoho
 * Accounts would otherwise hold the execution. Abandoned work goes on in the background, and n8n
 * still stores a token that arrives late.
 */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof PAST_DEADLINE> {
	// Timers take at most 2^31 - 1 ms; a larger value would fire at once.
	const signal = AbortSignal.timeout(Math.min(ms, MAX_TIMER_MS));
	let onAbort = () => {};
	const expired = new Promise<typeof PAST_DEADLINE>((resolve) => {
		onAbort = () => resolve(PAST_DEADLINE);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	work.catch(() => undefined);
	try {
		return await Promise.race([work, expired]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

function credentialNameOf(node: INode): string | undefined {
	return node.credentials?.[CREDENTIAL_TYPE]?.name;
}

/**
 * The credential, read once per node run. In n8n every getCredentials call loads the credential
 * from the database, decrypts it and resolves its expressions, and n8n's OAuth2 helper already does
 * that once per request to sign it. What the transport reads here (API URL, screen name, the
 * secrets to redact, the token a request starts with) only changes with a token refresh, and every
 * refresh path below drops the cached read.
 */
const credentialReads = new WeakMap<SalesIqContext, Promise<SalesIqCredentials>>();

function readCredentials(context: SalesIqContext): Promise<SalesIqCredentials> {
	let read = credentialReads.get(context);
	if (!read) {
		read = context.getCredentials(CREDENTIAL_TYPE) as Promise<SalesIqCredentials>;
		credentialReads.set(context, read);
		read.catch(() => credentialReads.delete(context));
	}
	return read;
}

/** The credential's SalesIQ API origin (data center table or Custom API URL). */
export async function getApiBaseUrl(this: SalesIqContext): Promise<string> {
	return resolveApiUrl(await readCredentials(this));
}

/** Sends one SalesIQ API request with the OAuth2 credential and returns the unwrapped `data`. Errors -> NodeApiError (errors.ts). */
export async function salesIqRequest<T = unknown>(this: SalesIqContext, options: SalesIqRequestOptions): Promise<T> {
	const node = this.getNode();
	const credentials = await readCredentials(this);
	const secrets = [
		credentials.clientSecret,
		credentials.oauthTokenData?.access_token,
		credentials.oauthTokenData?.refresh_token,
	].filter((s): s is string => typeof s === 'string' && s.length > 0);

	// Configuration problems are found before any request, so they are operation errors, not API errors.
	const apiUrl = resolveApiUrl(credentials);
	if (!parseApiOrigin(apiUrl)) {
		throw new NodeOperationError(node, 'The credential has no valid SalesIQ API URL', {
			description: 'Open the Zoho SalesIQ credential and choose a data center, or enter a Custom API URL such as https://salesiq.zoho.com.',
			itemIndex: options.itemIndex,
		});
	}
	const screenName = options.withoutScreen
		? undefined
		: (options.screenName?.trim() || String(credentials.screenName ?? '').trim());
	if (screenName !== undefined && !isValidScreenName(screenName)) {
		throw new NodeOperationError(node, screenName ? `The screen name "${shown(screenName)}" is not valid` : 'No screen name is set', {
			description:
				'Enter the portal screen name in the credential or pick a portal in the node’s Portal option. It is the part of the SalesIQ address after the domain, for example zylker in salesiq.zoho.com/zylker/index; it has only letters, digits, "-", "_" and ".".',
			itemIndex: options.itemIndex,
		});
	}
	if (!options.path.startsWith('/')) {
		throw new NodeOperationError(node, 'Internal error: a SalesIQ request path must start with "/"', { itemIndex: options.itemIndex });
	}
	const tokenAtStart = credentials.oauthTokenData?.access_token;
	const failedBefore = failedRefreshFor(tokenAtStart);
	if (failedBefore) throw failedBefore(node, options.itemIndex);

	const url = buildApiUrl(apiUrl, options.version, screenName, options.path);
	const timeout = options.timeout && options.timeout > 0 ? options.timeout : DEFAULT_TIMEOUT_MS;
	const ctx: ErrorContext = {
		screenName,
		scope: scopeForRequest(options.method, options.version, options.path, options.withoutScreen),
		itemIndex: options.itemIndex,
		secrets,
	};
	const idempotent = options.method === 'GET' && options.retryOnServerErrors !== false;

	let refreshed = false;
	let throttleTries = 0;
	let serverTries = 0;
	for (;;) {
		const requestOptions: IHttpRequestOptions = {
			method: options.method,
			url,
			qs: options.qs,
			body: options.body,
			json: true,
			timeout,
			returnFullResponse: true,
			// Every status comes back as a response, except 401: that one must throw inside n8n's
			// OAuth2 helper, which then refreshes the token and retries by itself.
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
		};

		let response: FullResponse | undefined;
		let refreshedByN8n = false;
		try {
			const answer = await withDeadline(
				this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, requestOptions) as Promise<FullResponse>,
				timeout * CALL_DEADLINE_FACTOR,
			);
			if (answer !== PAST_DEADLINE) response = answer;
		} catch (error) {
			const failure = describeThrown(error, url);
			if (failure.tokenError !== undefined || failure.tokenEndpoint !== undefined) {
				// n8n's refresh after a 401 failed at Zoho Accounts: report that, and never retry it here.
				throw refreshFailed(node, tokenAtStart, failure, options.itemIndex);
			}
			if (failure.response) {
				// A 401 that survived n8n's own refresh and retry. Zoho answers a refused refresh with
				// HTTP 200 {"error": ...}, which n8n stores as if it were a token, so look at what it kept.
				response = failure.response;
				refreshedByN8n = true;
				credentialReads.delete(this);
				await throwIfRefreshRefused.call(this, tokenAtStart, options.itemIndex);
			} else if (failure.timedOut) {
				throw transportError(
					node,
					`SalesIQ did not answer within ${timeout} ms`,
					'The request timed out. Try again later, or raise the Timeout option of the node.',
					{ ...ctx, reason: 'timeout' },
				);
			} else if ((failure.reset || failure.refused) && idempotent && serverTries < SERVER_ERROR_RETRIES) {
				await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** serverTries);
				serverTries++;
				continue;
			} else if (failure.refused) {
				throw transportError(
					node,
					'Could not connect to SalesIQ',
					`${sentence(failure.message || 'The connection was refused')} Check the credential’s data center or Custom API URL, or try again later.`,
					{ ...ctx, reason: 'connection', note: triedNote(serverTries) },
				);
			} else if (failure.reset) {
				throw transportError(
					node,
					'The connection to SalesIQ was closed unexpectedly',
					`${sentence(failure.message || 'The connection was reset')} Try again later.`,
					{ ...ctx, reason: 'connection', note: triedNote(serverTries) },
				);
			} else {
				throw transportError(
					node,
					`The request to SalesIQ failed: ${failure.message || 'unknown error'}`,
					'If this mentions the credential, open the Zoho SalesIQ credential and reconnect it.',
					{ ...ctx, reason: 'request' },
				);
			}
		}

		if (!response) {
			// Each request has its own timeout, so what ran over is the token refresh between them.
			const limit = timeout * CALL_DEADLINE_FACTOR;
			const fail: RefreshFailure = (n, i) =>
				transportError(
					n,
					`The request did not finish within ${limit} ms`,
					'SalesIQ, or the token refresh at Zoho Accounts, did not finish in time. Try again later, or raise the Timeout option of the node.',
					{ ...ctx, itemIndex: i, reason: 'timeout' },
				);
			rememberFailedRefresh(tokenAtStart, fail, TOKEN_ENDPOINT_PAUSE_MS);
			throw fail(node, options.itemIndex);
		}
		const { statusCode, body } = response;
		const zoho = readZohoError(body);

		if (statusCode === 429 || zoho?.code === 1023) {
			if (throttleTries < THROTTLE_RETRIES) {
				await sleep(retryDelayMs(response.headers, throttleTries));
				throttleTries++;
				continue;
			}
			const note = `The node waited and retried ${THROTTLE_RETRIES} times.`;
			if (zoho) throw zohoApiError(node, zoho, { ...ctx, httpStatus: statusCode, note });
			throw transportError(
				node,
				'SalesIQ is throttling requests (HTTP 429)',
				`The node waited and retried ${THROTTLE_RETRIES} times. Wait a few minutes, then lower the request rate (for example with fewer items per run or a Wait node).`,
				{ ...ctx, httpStatus: statusCode, reason: 'throttled' },
			);
		}

		const tokenRejected = zoho?.code === 1008 || (statusCode === 401 && !refreshedByN8n && zoho?.code !== 1009);
		if (tokenRejected && !refreshed && !refreshedByN8n) {
			credentialReads.delete(this);
			await refreshToken.call(this, ctx, tokenAtStart, timeout);
			refreshed = true;
			continue;
		}

		if (idempotent && RETRIABLE_STATUSES.has(statusCode) && serverTries < SERVER_ERROR_RETRIES) {
			await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** serverTries);
			serverTries++;
			continue;
		}
		const note = RETRIABLE_STATUSES.has(statusCode) ? triedNote(serverTries) : undefined;

		if (zoho) throw zohoApiError(node, zoho, { ...ctx, httpStatus: statusCode, note });

		if (statusCode >= 400) {
			throw transportError(
				node,
				`SalesIQ answered with HTTP ${statusCode}`,
				`${describeBody(body)} ${statusCode >= 500 ? 'SalesIQ had a problem on its side; try again later.' : 'Check the node’s parameters and the credential.'}`,
				{ ...ctx, httpStatus: statusCode, reason: 'http', note },
			);
		}

		if (typeof body !== 'object' || body === null || Array.isArray(body) || !('data' in body)) {
			throw transportError(
				node,
				'SalesIQ sent a response the node cannot read',
				`${describeBody(body)} Expected a JSON object with "data". Check the credential’s data center or Custom API URL, then try again.`,
				{ ...ctx, httpStatus: statusCode, reason: 'malformed' },
			);
		}
		return (body as { data: T }).data;
	}
}

/** "The node tried 3 times." after retries, for error descriptions. */
function triedNote(retries: number): string | undefined {
	return retries > 0 ? `The node tried ${retries + 1} times.` : undefined;
}

/** A message as the start of a sentence that ends with exactly one period. */
function sentence(text: string): string {
	return `${text.trim().replace(/[.\s]+$/, '')}.`;
}

/**
 * After a refresh: when the credential still holds the token the request started with, next to
 * the `error` Zoho answered, Zoho did not renew it. Throws the matching error, and remembers it so
 * that later items do not ask again.
 */
async function throwIfRefreshRefused(this: SalesIqContext, tokenAtStart: string | undefined, itemIndex?: number): Promise<void> {
	if (!tokenAtStart) return;
	const current = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials & {
		oauthTokenData?: { access_token?: string; error?: unknown };
	};
	const zohoError = current.oauthTokenData?.error;
	if (current.oauthTokenData?.access_token !== tokenAtStart || typeof zohoError !== 'string') return;
	throw refreshFailed(this.getNode(), tokenAtStart, { tokenError: zohoError }, itemIndex);
}

/** Renews the token after Zoho rejected it in a body (code 1008), where the running n8n can. */
async function refreshToken(
	this: SalesIqContext,
	ctx: ErrorContext,
	tokenAtStart: string | undefined,
	timeout: number,
): Promise<void> {
	const helpers = this.helpers as { refreshOAuth2Token?: (type: string) => Promise<unknown> };
	const node = this.getNode();
	if (typeof helpers.refreshOAuth2Token !== 'function') {
		throw transportError(
			node,
			'Zoho SalesIQ rejected the access token (error 1008)',
			'This n8n version cannot renew the token from a node. Open the Zoho SalesIQ credential and reconnect it, or update n8n.',
			{ ...ctx, reason: 'token' },
		);
	}
	let answered: unknown;
	try {
		answered = await withDeadline(helpers.refreshOAuth2Token.call(this, CREDENTIAL_TYPE), timeout);
	} catch (error) {
		// Everything this call sends goes to the token endpoint.
		const failure = describeThrown(error, undefined, true);
		const detail = failure.tokenEndpoint ?? tokenEndpointDetail(failure);
		throw refreshFailed(node, tokenAtStart, { tokenError: failure.tokenError, tokenEndpoint: detail }, ctx.itemIndex);
	}
	if (answered === PAST_DEADLINE) {
		throw refreshFailed(node, tokenAtStart, { tokenEndpoint: `The token endpoint did not answer within ${timeout} ms.` }, ctx.itemIndex);
	}
	await throwIfRefreshRefused.call(this, tokenAtStart, ctx.itemIndex);
}

interface ThrownFailure {
	response?: FullResponse;
	timedOut: boolean;
	reset: boolean;
	refused: boolean;
	message: string;
	/** Zoho Accounts refused a token refresh with this `error` (an HTTP 4xx answer). */
	tokenError?: string;
	/** The token refresh failed on the way to or at Zoho Accounts: what happened. */
	tokenEndpoint?: string;
}

function tokenEndpointDetail(failure: { timedOut: boolean; message: string; status?: number }): string {
	if (failure.status !== undefined && failure.status >= 200 && failure.status < 300) {
		return `The token endpoint answered HTTP ${failure.status}, but not with a token in JSON.`;
	}
	if (failure.status !== undefined) return `The token endpoint answered HTTP ${failure.status}.`;
	if (failure.timedOut) return 'The token endpoint did not answer in time.';
	return `The token request failed: ${sentence(failure.message || 'unknown error')}`;
}

/**
 * Looks through n8n's error wrappers for the HTTP response or the socket error code. An error of
 * a request to another URL than `requestUrl` came from n8n's token refresh, i.e. Zoho Accounts.
 */
function describeThrown(error: unknown, requestUrl?: string, fromAccounts = false): ThrownFailure {
	const seen = new Set<unknown>();
	let current: unknown = error;
	let message = '';
	let timedOut = false;
	let reset = false;
	let refused = false;
	while (typeof current === 'object' && current !== null && !seen.has(current)) {
		seen.add(current);
		const e = current as {
			message?: unknown;
			code?: unknown;
			status?: unknown;
			body?: { error?: unknown };
			config?: { url?: unknown };
			failure?: { cause?: unknown };
			response?: { status?: unknown; data?: unknown; headers?: unknown };
			cause?: unknown;
		};
		if (!message && typeof e.message === 'string') message = e.message;
		// n8n's own "reconnect" error, and the OAuth2 client's errors (EAUTH: {"error": ...}; ESTATUS: odd answers).
		if (e.failure?.cause === 'credential-invalid') {
			return { timedOut: false, reset: false, refused: false, message, tokenError: 'invalid_grant' };
		}
		if (e.code === 'EAUTH' && typeof e.body?.error === 'string') {
			return { timedOut: false, reset: false, refused: false, message, tokenError: e.body.error };
		}
		const otherUrl = typeof e.config?.url === 'string' && requestUrl !== undefined && !e.config.url.startsWith(requestUrl);
		if (e.code === 'EAUTH' || e.code === 'ESTATUS' || otherUrl || (fromAccounts && (e.code !== undefined || e.response))) {
			const status = typeof e.response?.status === 'number' ? e.response.status : typeof e.status === 'number' ? e.status : undefined;
			const timedOutHere = typeof e.code === 'string' && TIMEOUT_CODES.has(e.code);
			const detail =
				e.code === 'EAUTH' && status === undefined
					? 'The token endpoint refused the refresh with an answer the node does not understand.'
					: tokenEndpointDetail({ timedOut: timedOutHere, message: typeof e.message === 'string' ? e.message : message, status });
			return { timedOut: false, reset: false, refused: false, message, tokenEndpoint: detail };
		}
		if (e.response && typeof e.response.status === 'number') {
			return {
				response: {
					statusCode: e.response.status,
					headers: (e.response.headers ?? {}) as Record<string, unknown>,
					body: e.response.data,
				},
				timedOut: false,
				reset: false,
				refused: false,
				message,
			};
		}
		if (typeof e.code === 'string') {
			if (TIMEOUT_CODES.has(e.code)) timedOut = true;
			if (RESET_CODES.has(e.code)) reset = true;
			if (REFUSED_CODES.has(e.code)) refused = true;
		}
		if (typeof e.message === 'string' && /timeout of \d+ms exceeded/i.test(e.message)) timedOut = true;
		if (typeof e.message === 'string' && /socket hang up|terminated|ECONNRESET/i.test(e.message)) reset = true;
		current = e.cause;
	}
	return { timedOut, reset: reset && !timedOut, refused: refused && !timedOut, message };
}

/** Retry-After in seconds (or an HTTP date), else exponential backoff from 1 s. */
function retryDelayMs(headers: Record<string, unknown>, attempt: number): number {
	const raw = headers['retry-after'] ?? headers['Retry-After'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value !== undefined && value !== null && value !== '') {
		const seconds = Number(value);
		if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, MAX_RETRY_AFTER_S) * 1000;
		const date = Date.parse(String(value));
		if (Number.isFinite(date)) return Math.min(Math.max(date - Date.now(), 0), MAX_RETRY_AFTER_S * 1000);
	}
	return 1000 * 2 ** attempt;
}

function describeBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return 'The response body was empty.';
	if (typeof body === 'string') {
		return /^\s*</.test(body)
			? 'The response was an HTML page, not JSON (a proxy, login or maintenance page?).'
			: 'The response was not valid JSON.';
	}
	if (Buffer.isBuffer(body)) return 'The response was binary, not JSON.';
	return 'The response had an unexpected shape.';
}

/**
 * Fetches a public download link. It sends no credentials: the link must never see the token.
 * Like the API reads, it waits out HTTP 429 and, when `retryOnServerErrors`, tries again after
 * HTTP 500/502/503/504 or a dropped connection. `attempts` counts the requests sent.
 */
export async function downloadPublicFile(
	this: IExecuteFunctions,
	url: string,
	timeout: number,
	itemIndex: number,
	retryOnServerErrors = true,
): Promise<{ statusCode: number; headers: Record<string, unknown>; body: Buffer; attempts: number }> {
	let serverTries = 0;
	let throttleTries = 0;
	for (;;) {
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout,
			})) as typeof response;
		} catch (error) {
			const failure = describeThrown(error);
			if ((failure.reset || failure.refused) && retryOnServerErrors && serverTries < SERVER_ERROR_RETRIES) {
				await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** serverTries);
				serverTries++;
				continue;
			}
			throw transportError(
				this.getNode(),
				failure.timedOut ? `The attachment download did not finish within ${timeout} ms` : 'The attachment download failed',
				failure.timedOut
					? 'Try again later, or raise the Timeout option of the node.'
					: `${sentence(failure.message || 'The connection failed')} Download links are temporary; run the node again to get a fresh one.`,
				{ itemIndex, reason: failure.timedOut ? 'timeout' : 'download', note: triedNote(serverTries) },
			);
		}
		const headers = response.headers ?? {};
		if (response.statusCode === 429 && throttleTries < THROTTLE_RETRIES) {
			await sleep(retryDelayMs(headers, throttleTries));
			throttleTries++;
			continue;
		}
		if (RETRIABLE_STATUSES.has(response.statusCode) && retryOnServerErrors && serverTries < SERVER_ERROR_RETRIES) {
			await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** serverTries);
			serverTries++;
			continue;
		}
		const raw = response.body;
		const body = Buffer.isBuffer(raw)
			? raw
			: raw instanceof ArrayBuffer
				? Buffer.from(raw)
				: typeof raw === 'string'
					? Buffer.from(raw)
					: Buffer.alloc(0);
		return { statusCode: response.statusCode, headers, body, attempts: serverTries + throttleTries + 1 };
	}
}
