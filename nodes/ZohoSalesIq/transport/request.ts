import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { resolveApiUrl, type ZohoEndpointSettings } from './dataCenters';
import { readZohoError, transportError, zohoApiError, type ErrorContext } from './errors';
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

/** The credential's SalesIQ API origin (data center table or Custom API URL). */
export async function getApiBaseUrl(this: SalesIqContext): Promise<string> {
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials;
	return resolveApiUrl(credentials);
}

/** Sends one SalesIQ API request with the OAuth2 credential and returns the unwrapped `data`. Errors -> NodeApiError (errors.ts). */
export async function salesIqRequest<T = unknown>(this: SalesIqContext, options: SalesIqRequestOptions): Promise<T> {
	const node = this.getNode();
	const credentials = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials;
	const secrets = [
		credentials.clientSecret,
		credentials.oauthTokenData?.access_token,
		credentials.oauthTokenData?.refresh_token,
	].filter((s): s is string => typeof s === 'string' && s.length > 0);

	const apiUrl = resolveApiUrl(credentials);
	if (!parseApiOrigin(apiUrl)) {
		throw transportError(
			node,
			'The credential has no valid SalesIQ API URL',
			'Open the Zoho SalesIQ credential and choose a data center, or enter a Custom API URL such as https://salesiq.zoho.com.',
			{ reason: 'configuration', itemIndex: options.itemIndex },
		);
	}
	const screenName = options.withoutScreen
		? undefined
		: (options.screenName?.trim() || String(credentials.screenName ?? '').trim());
	if (screenName !== undefined && !isValidScreenName(screenName)) {
		throw transportError(
			node,
			screenName ? `The screen name "${screenName}" is not valid` : 'No screen name is set',
			'Enter the portal screen name in the credential or pick a portal in the node’s Portal option. It is the part of the SalesIQ address after the domain, for example zylker in salesiq.zoho.com/zylker/index; it has only letters, digits, "-", "_" and ".".',
			{ reason: 'configuration', itemIndex: options.itemIndex },
		);
	}
	if (!options.path.startsWith('/')) {
		throw transportError(node, 'Internal error: a SalesIQ request path must start with "/"', options.path, { reason: 'configuration' });
	}

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

		let response: FullResponse;
		let refreshedByN8n = false;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				requestOptions,
			)) as FullResponse;
		} catch (error) {
			const failure = describeThrown(error);
			if (failure.response) {
				// A 401 that survived n8n's own refresh and retry.
				response = failure.response;
				refreshedByN8n = true;
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
					`${failure.message || 'The connection was refused'}. Check the credential’s data center or Custom API URL, or try again later.`,
					{ ...ctx, reason: 'connection' },
				);
			} else if (failure.reset) {
				throw transportError(
					node,
					'The connection to SalesIQ was closed unexpectedly',
					`${failure.message || 'The connection was reset'}. Try again later.`,
					{ ...ctx, reason: 'connection' },
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
			await refreshToken.call(this, ctx);
			refreshed = true;
			continue;
		}

		if (idempotent && RETRIABLE_STATUSES.has(statusCode) && serverTries < SERVER_ERROR_RETRIES) {
			await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** serverTries);
			serverTries++;
			continue;
		}

		if (zoho) throw zohoApiError(node, zoho, { ...ctx, httpStatus: statusCode });

		if (statusCode >= 400) {
			throw transportError(
				node,
				`SalesIQ answered with HTTP ${statusCode}`,
				`${describeBody(body)} ${statusCode >= 500 ? 'SalesIQ had a problem on its side; try again later.' : 'Check the node’s parameters and the credential.'}`,
				{ ...ctx, httpStatus: statusCode, reason: 'http' },
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

/** Renews the token after Zoho rejected it in a body (code 1008), where the running n8n can. */
async function refreshToken(this: SalesIqContext, ctx: ErrorContext): Promise<void> {
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
	try {
		await helpers.refreshOAuth2Token.call(this, CREDENTIAL_TYPE);
	} catch (error) {
		const failure = describeThrown(error);
		throw transportError(
			node,
			'Zoho SalesIQ rejected the access token and it could not be renewed',
			`${failure.message ? `${failure.message}. ` : ''}Open the Zoho SalesIQ credential and reconnect it.`,
			{ ...ctx, reason: 'token' },
		);
	}
}

interface ThrownFailure {
	response?: FullResponse;
	timedOut: boolean;
	reset: boolean;
	refused: boolean;
	message: string;
}

/** Looks through n8n's error wrappers for the HTTP response or the socket error code. */
function describeThrown(error: unknown): ThrownFailure {
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
			response?: { status?: unknown; data?: unknown; headers?: unknown };
			cause?: unknown;
		};
		if (!message && typeof e.message === 'string') message = e.message;
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

/** Fetches a public download link. It sends no credentials: the link must never see the token. */
export async function downloadPublicFile(
	this: IExecuteFunctions,
	url: string,
	timeout: number,
	itemIndex: number,
): Promise<{ statusCode: number; headers: Record<string, unknown>; body: Buffer }> {
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
		throw transportError(
			this.getNode(),
			failure.timedOut ? `The attachment download did not finish within ${timeout} ms` : 'The attachment download failed',
			failure.timedOut
				? 'Try again later, or raise the Timeout option of the node.'
				: `${failure.message || 'The connection failed'}. Download links are temporary; run the node again to get a fresh one.`,
			{ itemIndex, reason: failure.timedOut ? 'timeout' : 'download' },
		);
	}
	const raw = response.body;
	const body = Buffer.isBuffer(raw)
		? raw
		: raw instanceof ArrayBuffer
			? Buffer.from(raw)
			: typeof raw === 'string'
				? Buffer.from(raw)
				: Buffer.alloc(0);
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body };
}
