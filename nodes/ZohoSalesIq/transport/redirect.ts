/**
 * The redirect policy of API calls. n8n's HTTP helper would follow any redirect and send the
 * Authorization header along, to any host; API calls therefore ask it not to follow, and decide
 * here:
 *
 * - the access token never goes to another origin (scheme, host and port);
 * - a read follows a redirect on the same origin, up to MAX_API_REDIRECTS times;
 * - a write never follows a redirect (it would be sent twice, or as another method);
 * - anything else is an error that names the target host, never its path or query.
 *
 * Attachment download links are not API calls: they carry no token and have their own host rules.
 */
import type { IHttpRequestMethods } from 'n8n-workflow';

import { shown } from './errors';

export const MAX_API_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirect(statusCode: number): boolean {
	return REDIRECT_STATUSES.has(statusCode);
}

export type RedirectDecision = { follow: string } | { refuse: { message: string; description: string } };

function locationOf(headers: Record<string, unknown>): string | undefined {
	const raw = headers.location ?? headers.Location;
	const value = Array.isArray(raw) ? raw[0] : raw;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** What to do with a redirect answer to `method currentUrl`, after `hops` redirects already followed. */
export function decideRedirect(
	statusCode: number,
	headers: Record<string, unknown>,
	currentUrl: string,
	method: IHttpRequestMethods,
	hops: number,
): RedirectDecision {
	const location = locationOf(headers);
	let target: URL | undefined;
	try {
		target = location === undefined ? undefined : new URL(location, currentUrl);
	} catch {
		target = undefined;
	}
	const advice = 'Check the data center or Custom API URL of the Zoho SalesIQ credential.';
	if (!target) {
		return {
			refuse: {
				message: `SalesIQ answered with a redirect (HTTP ${statusCode}) the node cannot read`,
				description: `The answer had no valid Location. ${advice}`,
			},
		};
	}
	const current = new URL(currentUrl);
	const host = shown(target.host, 100);
	if (target.origin !== current.origin) {
		return {
			refuse: {
				message: `SalesIQ redirected the request to another host, ${target.protocol === current.protocol ? host : `${target.protocol}//${host}`}; the node does not follow it`,
				description: `The access token is only ever sent to the SalesIQ host of the credential (${shown(current.host, 100)}), so the redirect (HTTP ${statusCode}) was not followed and nothing was sent there. ${advice}`,
			},
		};
	}
	if (method !== 'GET') {
		return {
			refuse: {
				message: `SalesIQ redirected the ${method} request (HTTP ${statusCode}); the node does not send a change twice`,
				description: `A change is never sent again to another address, so it was not repeated. SalesIQ did not confirm it either: check in SalesIQ before running the workflow again. ${advice}`,
			},
		};
	}
	if (hops >= MAX_API_REDIRECTS) {
		return {
			refuse: {
				message: `SalesIQ redirected the request more than ${MAX_API_REDIRECTS} times`,
				description: `The node stops instead of following more redirects. ${advice}`,
			},
		};
	}
	return { follow: target.toString() };
}
