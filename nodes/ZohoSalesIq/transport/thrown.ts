/**
 * Reads the errors that n8n's HTTP helpers throw. This is the package's coupling to n8n-core's
 * internal error shapes, which no public API describes:
 *
 * - the request helpers wrap the HTTP client's error; the response sits at `response` (status,
 *   data, headers), the socket error code at `code`, sometimes one or two `cause`s deeper;
 * - the OAuth2 client reports a refused refresh as `code: 'EAUTH'` with Zoho's `body.error`, and
 *   an odd answer of the token endpoint as `code: 'ESTATUS'`;
 * - n8n's own "reconnect the credential" error carries `failure.cause: 'credential-invalid'`;
 * - an error of a request to another URL than the API call (`config.url`) came from the token refresh.
 *
 * Checked against n8n-core 2.41.1 (the in-process tests) and n8n 1.123.x (the end-to-end v1 suite).
 * When n8n changes these shapes, the reliability suite (test/reliability) is what notices.
 */
import { sentence } from './errors';
import type { FullResponse } from './types';

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface ThrownFailure {
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

/** What went wrong at the token endpoint, as a sentence for the error description. */
export function tokenEndpointDetail(failure: { timedOut: boolean; message: string; status?: number }): string {
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
export function describeThrown(error: unknown, requestUrl?: string, fromAccounts = false): ThrownFailure {
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
