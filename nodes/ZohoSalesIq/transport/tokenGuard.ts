import { createHash } from 'node:crypto';

import type { INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { forgetCredentials } from './credential';
import { isRefreshLimit, refreshRefusedError, tokenEndpointError, transportError, type ErrorContext } from './errors';
import { describeThrown, tokenEndpointDetail } from './thrown';
import { CREDENTIAL_TYPE, type SalesIqContext, type SalesIqCredentials } from './types';

/**
 * The token guard. It remembers access tokens whose renewal failed, renews a token Zoho rejected
 * in a body, sees when Zoho refused a renewal, and puts a deadline on a refresh.
 */

const MAX_TIMER_MS = 2_147_483_647;

/**
 * Access tokens whose renewal failed, by hash. A request with such a token fails at once instead
 * of asking Zoho Accounts again: every refresh attempt counts against Zoho's limit of 10 per 10
 * minutes, and a revoked grant never recovers. Reconnecting the credential, or a refresh that
 * worked elsewhere, stores a new token, which is not in this list.
 */
export type RefreshFailure = (node: INode, itemIndex?: number) => NodeApiError | NodeOperationError;
const failedRefreshes = new Map<string, { fail: RefreshFailure; until: number }>();
const FAILED_REFRESH_ENTRIES = 100;
/** How long to fail fast: after Zoho's "Access Denied", a revoked grant, an unreachable token endpoint. */
const REFRESH_LIMIT_PAUSE_MS = 60_000;
const REVOKED_GRANT_PAUSE_MS = 600_000;
export const TOKEN_ENDPOINT_PAUSE_MS = 30_000;

function tokenKey(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** The remembered failure of this token's renewal, while it still holds. */
export function failedRefreshFor(token: string | undefined): RefreshFailure | undefined {
	if (!token) return undefined;
	const key = tokenKey(token);
	const entry = failedRefreshes.get(key);
	if (!entry) return undefined;
	if (entry.until > Date.now()) return entry.fail;
	failedRefreshes.delete(key);
	return undefined;
}

export function rememberFailedRefresh(token: string | undefined, fail: RefreshFailure, pauseMs: number): void {
	if (!token) return;
	const key = tokenKey(token);
	failedRefreshes.delete(key);
	failedRefreshes.set(key, { fail, until: Date.now() + pauseMs });
	while (failedRefreshes.size > FAILED_REFRESH_ENTRIES) failedRefreshes.delete(failedRefreshes.keys().next().value as string);
}

function credentialNameOf(node: INode): string | undefined {
	return node.credentials?.[CREDENTIAL_TYPE]?.name;
}

/** A refresh of `token` failed: remember it, and return the error for this item. */
export function refreshFailed(
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

export const PAST_DEADLINE = Symbol('past deadline');

/**
 * Waits for `work`, but no longer than `ms`. n8n's token refresh runs inside the authenticated
 * request with a timeout the node cannot set (5 minutes in n8n's OAuth2 client), so a hung Zoho
 * Accounts would otherwise hold the execution. Abandoned work goes on in the background, and n8n
 * still stores a token that arrives late.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof PAST_DEADLINE> {
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

/**
 * After a refresh: when the credential still holds the token the request started with, next to
 * the `error` Zoho answered, Zoho did not renew it. Throws the matching error, and remembers it so
 * that later items do not ask again.
 */
export async function throwIfRefreshRefused(this: SalesIqContext, tokenAtStart: string | undefined, itemIndex?: number): Promise<void> {
	forgetCredentials(this);
	if (!tokenAtStart) return;
	const current = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials;
	const zohoError = current.oauthTokenData?.error;
	if (current.oauthTokenData?.access_token !== tokenAtStart || typeof zohoError !== 'string') return;
	throw refreshFailed(this.getNode(), tokenAtStart, { tokenError: zohoError }, itemIndex);
}

/** Renews the token after Zoho rejected it in a body (code 1008), where the running n8n can. */
export async function refreshToken(
	this: SalesIqContext,
	ctx: ErrorContext,
	tokenAtStart: string | undefined,
	timeout: number,
): Promise<void> {
	forgetCredentials(this);
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
