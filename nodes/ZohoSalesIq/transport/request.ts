import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { discardBody, MAX_JSON_BYTES, parseJson, readBody } from './body';
import { readCredentials } from './credential';
import { resolveApiUrl } from './dataCenters';
import { deadlineIn, PAST_DEADLINE, withDeadline } from './deadline';
import { describeBody, readZohoError, sentence, shown, transportError, zohoApiError, type ErrorContext } from './errors';
import { secretsOfRun, withoutEchoedSecrets } from './redaction';
import { decideRedirect, isRedirect } from './redirect';
import { isRetriableStatus, Retries, THROTTLE_RETRIES } from './retry';
import { describeThrown } from './thrown';
import { writeResult } from './writes';
import { failedRefreshFor, rejectedAfterRenewal, renewToken, tokenVerdict } from './tokenGuard';
import {
	CREDENTIAL_TYPE,
	DEFAULT_TIMEOUT_MS,
	type Endpoint,
	type FullResponse,
	type SalesIqContext,
	type SalesIqRequestOptions,
} from './types';
import { buildApiUrl, fillPath, isValidApiOrigin, isValidScreenName } from './url';

/** An answer as send() read it: with the JSON text its body was parsed from, when it was JSON. */
interface Answer extends FullResponse {
	text?: string;
}

/** A connection that was refused or dropped before the whole answer arrived: the loop may retry a read. */
interface Dropped {
	dropped: { refused: boolean; message: string };
}

/**
 * Sends one request and reads its whole answer within `timeout`: n8n signs it with the token but
 * neither renews the token (a 401 comes back as an answer, for renewToken to judge) nor follows a
 * redirect (redirect.ts decides). The body arrives as a stream, read within the deadline and the
 * JSON size cap, then parsed.
 */
async function send(
	this: SalesIqContext,
	request: IHttpRequestOptions,
	timeout: number,
	ctx: ErrorContext,
	raw?: SalesIqRequestOptions['raw'],
): Promise<Answer | Dropped> {
	const deadline = deadlineIn(timeout);
	let answer: FullResponse | typeof PAST_DEADLINE;
	try {
		answer = await withDeadline(
			this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, request, { oauth2: { skipTokenRefresh: true } }) as Promise<FullResponse>,
			deadline,
			(late) => discardBody(late.body),
		);
	} catch (error) {
		const failure = describeThrown(error, request.url);
		if (failure.timedOut) answer = PAST_DEADLINE;
		else if (failure.reset || failure.refused) return { dropped: { refused: failure.refused, message: failure.message } };
		else {
			throw transportError(
				this.getNode(),
				`The request to SalesIQ failed: ${failure.message || 'unknown error'}`,
				'If this mentions the credential, open the Zoho SalesIQ credential and reconnect it.',
				{ ...ctx, reason: 'request' },
			);
		}
	}
	if (answer === PAST_DEADLINE) {
		throw transportError(this.getNode(), `SalesIQ did not answer within ${timeout} ms`, 'The request timed out. Try again later, or raise the Timeout option of the node.', {
			...ctx,
			reason: 'timeout',
		});
	}
	const headers = answer.headers ?? {};
	const maxBytes = raw?.maxBytes ?? MAX_JSON_BYTES;
	const read = await readBody(answer.body, headers, { deadline, maxBytes });
	if (read.failure === undefined) {
		if (raw && !isJsonAnswer(answer.statusCode, headers)) return { statusCode: answer.statusCode, headers, body: read.body };
		const parsed = parseJson(read.body);
		return { statusCode: answer.statusCode, headers, body: parsed.value, text: parsed.text };
	}
	const { failure } = read;
	if (failure.kind === 'closed') return { dropped: { refused: false, message: failure.message } };
	if (failure.kind === 'too-large') {
		throw transportError(
			this.getNode(),
			`SalesIQ sent a response larger than ${maxBytes / 1024 / 1024} MB`,
			'The node stops reading answers of that size. Narrow the request (a shorter time range or a lower Limit), or check the credential’s data center or Custom API URL.',
			{ ...ctx, httpStatus: answer.statusCode, reason: 'too-large' },
		);
	}
	throw transportError(
		this.getNode(),
		`SalesIQ did not send its whole response within ${timeout} ms`,
		`The answer started but ${failure.bytes} bytes had arrived when the time was up, so the node closed the connection. Try again later, or raise the Timeout option of the node.`,
		{ ...ctx, httpStatus: answer.statusCode, reason: 'timeout' },
	);
}

/** Whether a body is read as JSON in a raw call: every error answer, and answers that say they are JSON. */
function isJsonAnswer(statusCode: number, headers: Record<string, unknown>): boolean {
	const type = headers['content-type'];
	return statusCode >= 400 || /json/i.test(Array.isArray(type) ? String(type[0]) : String(type ?? ''));
}

/**
 * Sends one SalesIQ API request with the OAuth2 credential and returns the unwrapped `data` (with
 * `raw`, the answer itself). Errors -> NodeApiError (errors.ts).
 */
export async function salesIqRequest<T = unknown>(this: SalesIqContext, options: SalesIqRequestOptions): Promise<T> {
	const credentials = await readCredentials(this);
	const secrets = secretsOfRun(this);

	// Configuration problems are found before any request, so they are operation errors, not API errors.
	const apiUrl = resolveApiUrl(credentials);
	if (!isValidApiOrigin(apiUrl)) {
		throw new NodeOperationError(this.getNode(), 'The credential has no valid SalesIQ API URL', {
			description: 'Open the Zoho SalesIQ credential and choose a data center, or enter a Custom API URL such as https://salesiq.zoho.com.',
			itemIndex: options.itemIndex,
		});
	}
	const screenName = options.withoutScreen
		? undefined
		: (options.screenName?.trim() || String(credentials.screenName ?? '').trim());
	if (screenName !== undefined && !isValidScreenName(screenName)) {
		throw new NodeOperationError(this.getNode(), screenName ? `The screen name "${shown(screenName)}" is not valid` : 'No screen name is set', {
			description:
				'Enter the portal screen name in the credential or pick a portal in the node’s Portal option. It is the part of the SalesIQ address after the domain, for example zylker in salesiq.zoho.com/zylker/index; it has only letters, digits, "-", "_" and ".".',
			itemIndex: options.itemIndex,
		});
	}
	if (!options.path.startsWith('/')) {
		throw new NodeOperationError(this.getNode(), 'Internal error: a SalesIQ request path must start with "/"', { itemIndex: options.itemIndex });
	}
	const tokenAtStart = credentials.oauthTokenData?.access_token;
	const failedBefore = failedRefreshFor(tokenAtStart);
	if (failedBefore) throw failedBefore(this.getNode(), options.itemIndex);

	const timeout = options.timeout && options.timeout > 0 ? options.timeout : DEFAULT_TIMEOUT_MS;
	const ctx: ErrorContext = { screenName, scope: options.scope, itemIndex: options.itemIndex, secrets };
	const retries = new Retries(options.method === 'GET' && options.retryOnServerErrors !== false);

	let url = buildApiUrl(apiUrl, options.version, screenName, options.path);
	let qs = options.qs;
	let hops = 0;
	let renewed = false;
	for (;;) {
		const sent = await send.call(
				this,
				{
					method: options.method,
					url,
					qs,
					body: options.body,
					json: true,
					timeout,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					encoding: 'stream',
				},
				timeout,
				ctx,
				options.raw,
			);
		if ('dropped' in sent) {
			if (await retries.afterServerError()) continue;
			const { refused, message } = sent.dropped;
			throw refused
				? transportError(
						this.getNode(),
						'Could not connect to SalesIQ',
						`${sentence(message || 'The connection was refused')} Check the credential’s data center or Custom API URL, or try again later.`,
						{ ...ctx, reason: 'connection', note: retries.triedNote },
					)
				: transportError(this.getNode(), 'The connection to SalesIQ was closed unexpectedly', `${sentence(message || 'The connection was reset')} Try again later.`, {
						...ctx,
						reason: 'connection',
						note: retries.triedNote,
					});
		}
		const { text, ...response } = sent;
		const { statusCode, body } = response;

		// Raw: a redirect goes back to the caller, who follows it without the token.
		if (options.raw && isRedirect(statusCode)) return response as T;
		if (isRedirect(statusCode)) {
			const decision = decideRedirect(statusCode, response.headers, url, options.method, hops);
			if ('refuse' in decision) {
				throw transportError(this.getNode(), decision.refuse.message, decision.refuse.description, { ...ctx, httpStatus: statusCode, reason: 'redirect' });
			}
			url = decision.follow;
			qs = undefined;
			hops++;
			continue;
		}

		let zoho = readZohoError(body);
		if (statusCode === 429 || zoho?.code === 1023) {
			if (await retries.afterThrottling(response.headers)) continue;
			const note = `The node waited and retried ${THROTTLE_RETRIES} times.`;
			if (zoho) throw zohoApiError(this.getNode(), zoho, { ...ctx, httpStatus: statusCode, note });
			throw transportError(
				this.getNode(),
				'SalesIQ is throttling requests (HTTP 429)',
				`The node waited and retried ${THROTTLE_RETRIES} times. Wait a few minutes, then lower the request rate (for example with fewer items per run or a Wait node).`,
				{ ...ctx, httpStatus: statusCode, reason: 'throttled' },
			);
		}

		const verdict = tokenVerdict(statusCode, body, zoho);
		if (verdict === 'renew') {
			const rejected = (await readCredentials(this)).oauthTokenData?.access_token;
			if (renewed) throw rejectedAfterRenewal(this.getNode(), { ...ctx, httpStatus: statusCode }, rejected);
			await renewToken.call(this, ctx, rejected, timeout);
			renewed = true;
			continue;
		}
		if (verdict === 'scope') zoho = { code: 1009, message: zoho?.message ?? (typeof body === 'string' ? body : 'Invalid OAuthScope'), param: zoho?.param };
		if (statusCode === 401 && !zoho) zoho = { code: 0, message: 'Unauthorized' };

		if (isRetriableStatus(statusCode) && (await retries.afterServerError())) continue;
		const note = isRetriableStatus(statusCode) ? retries.triedNote : undefined;

		if (zoho) throw zohoApiError(this.getNode(), zoho, { ...ctx, httpStatus: statusCode, note });

		if (statusCode >= 400) {
			throw transportError(
				this.getNode(),
				`SalesIQ answered with HTTP ${statusCode}`,
				`${describeBody(body)} ${statusCode >= 500 ? 'SalesIQ had a problem on its side; try again later.' : 'Check the node’s parameters and the credential.'}`,
				{ ...ctx, httpStatus: statusCode, reason: 'http', note },
			);
		}

		if (options.raw) return response as T;
		// Every method but GET writes: its success rule is in writes.ts.
		if (options.method !== 'GET') return withoutEchoedSecrets(writeResult(body), undefined, secrets) as T;
		if (typeof body !== 'object' || body === null || Array.isArray(body) || !('data' in body)) {
			throw transportError(
				this.getNode(),
				'SalesIQ sent a response the node cannot read',
				`${describeBody(body)} Expected a JSON object with "data". Check the credential’s data center or Custom API URL, then try again.`,
				{ ...ctx, httpStatus: statusCode, reason: 'malformed' },
			);
		}
		const data = (body as { data: T }).data;
		// An answer that echoes a secret (a token, the client secret) never reaches the output.
		return withoutEchoedSecrets(data, text, secrets);
	}
}

/** What a call of an endpoint adds: values for the path's placeholders, query and body. */
export interface EndpointCall {
	params?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
}

/** The request options of one call of a declared endpoint (its scope included). */
export function endpointRequest(endpoint: Endpoint, call: EndpointCall = {}): SalesIqRequestOptions {
	return {
		method: endpoint.method,
		version: endpoint.version,
		path: fillPath(endpoint.path, call.params),
		withoutScreen: endpoint.withoutScreen,
		scope: endpoint.scope,
		qs: call.qs,
		body: call.body,
	};
}
