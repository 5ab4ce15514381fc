import type { IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredentials, secretsOf } from './credential';
import { resolveApiUrl } from './dataCenters';
import { describeBody, readZohoError, sentence, shown, transportError, zohoApiError, type ErrorContext } from './errors';
import { isRetriableStatus, Retries, THROTTLE_RETRIES } from './retry';
import { scopeForRequest } from './scopes';
import { describeThrown } from './thrown';
import {
	failedRefreshFor,
	PAST_DEADLINE,
	refreshFailed,
	refreshToken,
	rememberFailedRefresh,
	throwIfRefreshRefused,
	TOKEN_ENDPOINT_PAUSE_MS,
	withDeadline,
	type RefreshFailure,
} from './tokenGuard';
import { CREDENTIAL_TYPE, DEFAULT_TIMEOUT_MS, type FullResponse, type SalesIqContext, type SalesIqRequestOptions } from './types';
import { buildApiUrl, isValidScreenName, parseApiOrigin } from './url';

/** One authenticated call may take the request, a token refresh and the retried request: each up to the timeout. */
const CALL_DEADLINE_FACTOR = 3;

/** Sends one SalesIQ API request with the OAuth2 credential and returns the unwrapped `data`. Errors -> NodeApiError (errors.ts). */
export async function salesIqRequest<T = unknown>(this: SalesIqContext, options: SalesIqRequestOptions): Promise<T> {
	const node = this.getNode();
	const credentials = await readCredentials(this);
	const secrets = secretsOf(credentials);

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
	const scope = options.scope ?? scopeForRequest(options.method, options.version, options.path, options.withoutScreen);
	const ctx: ErrorContext = { screenName, scope, itemIndex: options.itemIndex, secrets };
	const retries = new Retries(options.method === 'GET' && options.retryOnServerErrors !== false);

	let refreshed = false;
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
				await throwIfRefreshRefused.call(this, tokenAtStart, options.itemIndex);
			} else if (failure.timedOut) {
				throw transportError(
					node,
					`SalesIQ did not answer within ${timeout} ms`,
					'The request timed out. Try again later, or raise the Timeout option of the node.',
					{ ...ctx, reason: 'timeout' },
				);
			} else if ((failure.reset || failure.refused) && (await retries.afterServerError())) {
				continue;
			} else if (failure.refused) {
				throw transportError(
					node,
					'Could not connect to SalesIQ',
					`${sentence(failure.message || 'The connection was refused')} Check the credential’s data center or Custom API URL, or try again later.`,
					{ ...ctx, reason: 'connection', note: retries.triedNote },
				);
			} else if (failure.reset) {
				throw transportError(
					node,
					'The connection to SalesIQ was closed unexpectedly',
					`${sentence(failure.message || 'The connection was reset')} Try again later.`,
					{ ...ctx, reason: 'connection', note: retries.triedNote },
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
			if (await retries.afterThrottling(response.headers)) continue;
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
			await refreshToken.call(this, ctx, tokenAtStart, timeout);
			refreshed = true;
			continue;
		}

		if (isRetriableStatus(statusCode) && (await retries.afterServerError())) continue;
		const note = isRetriableStatus(statusCode) ? retries.triedNote : undefined;

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
