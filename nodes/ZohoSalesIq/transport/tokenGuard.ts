import { createHash } from 'node:crypto';

import { NodeApiError, type INode, type NodeOperationError } from 'n8n-workflow';

import { forgetCredentials, learnSecretsOf } from './credential';
import { PAST_DEADLINE, withDeadline } from './deadline';
import { isRefreshLimit, refreshRefusedError, tokenEndpointError, transportError, type ErrorContext } from './errors';
import type { Secrets } from './redaction';
import { describeThrown, tokenEndpointDetail } from './thrown';
import { CREDENTIAL_TYPE, type SalesIqContext, type SalesIqCredentials } from './types';

/**
 * The token guard: the only place that renews an access token. It keeps Zoho's budget (10
 * renewals per refresh token in any 10 minutes, shared by every workflow) whatever SalesIQ or
 * Zoho Accounts do:
 *
 * - at most 1 renewal per execution and at most 2 per refresh token in any 10 minutes;
 * - a token SalesIQ rejects right after it was renewed means the renewal did not help (a data
 *   center or portal that does not match the account): that is remembered, so later items and
 *   executions fail at once instead of renewing again;
 * - a refused renewal (revoked grant, Zoho's "Access Denied", a failing token endpoint) is
 *   remembered the same way, for as long as it will hold;
 * - a renewal that another item or process already made is used instead of renewing again.
 *
 * The record is per process. n8n's own refresh coalescing and token storage do the renewal.
 */

export type RefreshFailure = (node: INode, itemIndex?: number) => NodeApiError | NodeOperationError;

const RENEWAL_WINDOW_MS = 600_000;
const RENEWALS_PER_WINDOW = 2;
/** How long to fail fast: after Zoho's "Access Denied", a revoked grant, an unreachable token endpoint, a useless renewal. */
const REFRESH_LIMIT_PAUSE_MS = 60_000;
const REVOKED_GRANT_PAUSE_MS = 600_000;
const TOKEN_ENDPOINT_PAUSE_MS = 30_000;
const USELESS_RENEWAL_PAUSE_MS = RENEWAL_WINDOW_MS;
/** Entries kept in each record; the oldest go first. */
const RECORD_ENTRIES = 200;

function hashOf(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

function bounded<K, V>(map: Map<K, V>, key: K, value: V): void {
	map.delete(key);
	map.set(key, value);
	while (map.size > RECORD_ENTRIES) map.delete(map.keys().next().value as K);
}

/** Access tokens (by hash) that must not be used or renewed again for a while, with the error to give. */
const failedTokens = new Map<string, { fail: RefreshFailure; until: number }>();
/** Renewal times per refresh token (by hash), newest last. */
const renewals = new Map<string, number[]>();
/** Executions that renewed a refresh token already. */
const renewedInExecution = new Map<string, true>();
/**
 * Renewals under way in this process, by refresh token and the access token they replace. Items
 * and executions that meet the same expired token at once wait for that one renewal: they neither
 * renew again nor spend the budget.
 */
const renewalsUnderWay = new Map<string, Promise<void>>();

/** The remembered failure of this token, while it still holds. */
export function failedRefreshFor(token: string | undefined): RefreshFailure | undefined {
	if (!token || failedTokens.size === 0) return undefined;
	const key = hashOf(token);
	const entry = failedTokens.get(key);
	if (!entry) return undefined;
	if (entry.until > Date.now()) return entry.fail;
	failedTokens.delete(key);
	return undefined;
}

function rememberFailure(tokens: ReadonlyArray<string | undefined>, fail: RefreshFailure, pauseMs: number): void {
	for (const token of new Set(tokens)) if (token) bounded(failedTokens, hashOf(token), { fail, until: Date.now() + pauseMs });
}

function credentialNameOf(node: INode): string | undefined {
	return node.credentials?.[CREDENTIAL_TYPE]?.name;
}

/** A renewal of `token` failed: remember it, and return the error for this item. */
export function refreshFailed(
	node: INode,
	token: string | undefined,
	failure: { tokenError?: string; tokenEndpoint?: string },
	itemIndex?: number,
	secrets: Secrets = [],
): NodeApiError | NodeOperationError {
	const { tokenError } = failure;
	const known = [...secrets];
	const fail: RefreshFailure =
		tokenError !== undefined
			? (n, i) => refreshRefusedError(n, tokenError, credentialNameOf(n), i)
			: (n, i) => tokenEndpointError(n, failure.tokenEndpoint ?? 'The token request failed.', i, known);
	const pause =
		tokenError === undefined ? TOKEN_ENDPOINT_PAUSE_MS : isRefreshLimit(tokenError) ? REFRESH_LIMIT_PAUSE_MS : REVOKED_GRANT_PAUSE_MS;
	rememberFailure([token], fail, pause);
	return fail(node, itemIndex);
}

const DATA_CENTER_HINT =
	'This usually means the credential’s data center is not the one the Zoho account lives in (for example an account on zoho.eu with the data center set to zoho.com), or the portal screen name belongs to another Zoho account. Check both in the credential (reconnect it after changing the data center), then run the workflow again.';

/**
 * SalesIQ rejected the token the node had just renewed: another renewal would not help either.
 * Remembered for 10 minutes, so that neither later items nor later executions, which all start
 * with this stored token, renew again.
 */
export function rejectedAfterRenewal(node: INode, ctx: ErrorContext, token: string | undefined): NodeApiError | NodeOperationError {
	const fail: RefreshFailure = (n, i) =>
		new NodeApiError(
			n,
			{ reason: 'token-rejected-after-renewal' },
			{
				message: 'SalesIQ rejected the access token again right after it was renewed',
				description: `Zoho Accounts renewed the token, but SalesIQ still refuses it. ${DATA_CENTER_HINT} To stay within Zoho’s limit of 10 renewals in 10 minutes, the node does not renew this token again for 10 minutes.`,
				itemIndex: i,
				httpCode: ctx.httpStatus !== undefined ? String(ctx.httpStatus) : undefined,
			},
		);
	rememberFailure([token], fail, USELESS_RENEWAL_PAUSE_MS);
	return fail(node, ctx.itemIndex);
}

function budgetError(node: INode, ctx: ErrorContext, reason: string): NodeApiError {
	return new NodeApiError(
		node,
		{ reason: 'token-renewal-budget' },
		{
			message: 'SalesIQ rejected the access token, and the node did not renew it again',
			description: `${reason} Zoho allows 10 renewals per refresh token in any 10 minutes, shared by every workflow that uses the credential, so the node stops here. ${DATA_CENTER_HINT}`,
			itemIndex: ctx.itemIndex,
		},
	);
}

/** Why no renewal may happen now, or undefined when one may. */
function budgetReason(executionKey: string | undefined, renewalKey: string, now: number): string | undefined {
	if (executionKey !== undefined && renewedInExecution.has(executionKey)) return 'The node already renewed the token once in this execution.';
	const recent = (renewals.get(renewalKey) ?? []).filter((t) => now - t < RENEWAL_WINDOW_MS);
	if (recent.length >= RENEWALS_PER_WINDOW) return `The node already renewed the token ${recent.length} times in the last 10 minutes.`;
	return undefined;
}

function executionIdOf(context: SalesIqContext): string | undefined {
	try {
		const id = context.getExecutionId();
		return typeof id === 'string' && id ? id : undefined;
	} catch {
		return undefined;
	}
}

/**
 * After a renewal: when the credential still holds the token the request started with, next to
 * the `error` Zoho answered, Zoho did not renew it. Throws the matching error, and remembers it.
 */
async function throwIfRefreshRefused(
	this: SalesIqContext,
	tokenAtStart: string | undefined,
	ctx: ErrorContext,
): Promise<void> {
	forgetCredentials(this);
	const current = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials;
	learnSecretsOf(this, current);
	const zohoError = current.oauthTokenData?.error;
	if (!tokenAtStart || current.oauthTokenData?.access_token !== tokenAtStart || typeof zohoError !== 'string') return;
	throw refreshFailed(this.getNode(), tokenAtStart, { tokenError: zohoError }, ctx.itemIndex, ctx.secrets);
}

/**
 * SalesIQ rejected `tokenAtStart`. Renews it through n8n (which coalesces concurrent renewals and
 * stores the new token), unless another item or process did already, or the budget is spent.
 * Returns when the caller should send its request again with the stored token.
 */
export async function renewToken(
	this: SalesIqContext,
	ctx: ErrorContext,
	tokenAtStart: string | undefined,
	timeout: number,
): Promise<void> {
	const node = this.getNode();
	forgetCredentials(this);
	const stored = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials;
	learnSecretsOf(this, stored);
	const storedToken = stored.oauthTokenData?.access_token;
	if (storedToken && storedToken !== tokenAtStart && stored.oauthTokenData?.error === undefined) {
		const failed = failedRefreshFor(storedToken);
		if (failed) throw failed(node, ctx.itemIndex);
		return;
	}

	const helpers = this.helpers as { refreshOAuth2Token?: (type: string) => Promise<unknown> };
	if (typeof helpers.refreshOAuth2Token !== 'function') {
		throw transportError(
			node,
			'Zoho SalesIQ rejected the access token',
			'This n8n version cannot renew the token from a node. Open the Zoho SalesIQ credential and reconnect it, or update n8n.',
			{ ...ctx, reason: 'token' },
		);
	}
	const renewalKey = hashOf(stored.oauthTokenData?.refresh_token ?? `credential:${node.credentials?.[CREDENTIAL_TYPE]?.id ?? ''}`);
	const underWayKey = `${renewalKey}:${hashOf(tokenAtStart ?? '')}`;
	const underWay = renewalsUnderWay.get(underWayKey);
	if (underWay) {
		await underWay.catch(() => undefined);
		await useRenewalOfOthers.call(this, ctx, tokenAtStart);
		return;
	}
	const renewal = renew.call(this, ctx, tokenAtStart, timeout, renewalKey);
	renewalsUnderWay.set(underWayKey, renewal);
	try {
		await renewal;
	} finally {
		renewalsUnderWay.delete(underWayKey);
	}
}

/** After a renewal that another item or execution made: use its token, or give its failure. */
async function useRenewalOfOthers(this: SalesIqContext, ctx: ErrorContext, tokenAtStart: string | undefined): Promise<void> {
	const node = this.getNode();
	forgetCredentials(this);
	const stored = (await this.getCredentials(CREDENTIAL_TYPE)) as SalesIqCredentials;
	learnSecretsOf(this, stored);
	const storedToken = stored.oauthTokenData?.access_token;
	const failed = failedRefreshFor(tokenAtStart) ?? failedRefreshFor(storedToken);
	if (failed) throw failed(node, ctx.itemIndex);
	if (storedToken && storedToken !== tokenAtStart && stored.oauthTokenData?.error === undefined) return;
	throw budgetError(node, ctx, 'A renewal that ran at the same time did not store a new token.');
}

async function renew(this: SalesIqContext, ctx: ErrorContext, tokenAtStart: string | undefined, timeout: number, renewalKey: string): Promise<void> {
	const node = this.getNode();
	const helpers = this.helpers as { refreshOAuth2Token: (type: string) => Promise<unknown> };
	const now = Date.now();
	const executionId = executionIdOf(this);
	const executionKey = executionId === undefined ? undefined : `${executionId}:${renewalKey}`;
	const reason = budgetReason(executionKey, renewalKey, now);
	if (reason !== undefined) throw budgetError(node, ctx, reason);
	bounded(renewals, renewalKey, [...(renewals.get(renewalKey) ?? []).filter((t) => now - t < RENEWAL_WINDOW_MS), now]);
	if (executionKey !== undefined) bounded(renewedInExecution, executionKey, true);

	let answered: unknown;
	try {
		answered = await withDeadline(helpers.refreshOAuth2Token.call(this, CREDENTIAL_TYPE), timeout);
	} catch (error) {
		// Everything this call sends goes to the token endpoint.
		const failure = describeThrown(error, undefined, true);
		const detail = failure.tokenEndpoint ?? tokenEndpointDetail(failure);
		throw refreshFailed(node, tokenAtStart, { tokenError: failure.tokenError, tokenEndpoint: detail }, ctx.itemIndex, ctx.secrets);
	}
	if (answered === PAST_DEADLINE) {
		throw refreshFailed(node, tokenAtStart, { tokenEndpoint: `The token endpoint did not answer within ${timeout} ms.` }, ctx.itemIndex, ctx.secrets);
	}
	await throwIfRefreshRefused.call(this, tokenAtStart, ctx);
}

const SCOPE_TEXT = /invalid[\s_]*oauth[\s_]*scope/i;
const TOKEN_TEXT = /invalid[\s_]*(oauth[\s_]*)?token|oauth[\s_]*token[\s\w]*(invalid|expired)|token[\s_]*expired/i;

/**
 * How a rejection reads: `renew` when it says the token is invalid or expired (code 1008, with any
 * status; or HTTP 401 with "invalid_token", "Invalid OAuthToken" or no readable body), `scope` for
 * a missing scope (code 1009 or "invalid oauthscope"), which a renewal cannot fix, else undefined.
 */
export function tokenVerdict(statusCode: number, body: unknown, zoho: { code: number; message: string } | undefined): 'renew' | 'scope' | undefined {
	const text = typeof body === 'string' ? body : (zoho?.message ?? '');
	if (zoho?.code === 1009 || (statusCode === 401 && SCOPE_TEXT.test(text))) return 'scope';
	if (zoho?.code === 1008) return 'renew';
	if (statusCode !== 401) return undefined;
	const readable = zoho !== undefined || (typeof body === 'string' && body.trim() !== '' && !/^\s*</.test(body));
	if (!readable || TOKEN_TEXT.test(text)) return 'renew';
	return undefined;
}
