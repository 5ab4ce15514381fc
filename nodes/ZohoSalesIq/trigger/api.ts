import type { IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { endpointRequest, salesIqRequest, type EndpointCall } from '../transport/request';
import { zohoHint } from '../transport/errors';
import { CREDENTIAL_TYPE, type Endpoint } from '../transport/types';

/** The trigger's calls to the v2 Webhooks API, and the errors a builder can fix, explained. */

export interface TriggerSettings {
	events: string[];
	/** Chosen brands; empty means every brand. */
	appIds: string[];
	screenName?: string;
	secured: boolean;
}

export type Action = 'brands' | 'check' | 'create' | 'delete';

const ACTION_TEXT: Record<Action, string> = {
	brands: 'list the portal’s brands',
	check: 'look up the webhook subscription',
	create: 'create the webhook subscription',
	delete: 'delete the webhook subscription',
};

export function zohoCode(error: unknown): { code?: number; param?: string; httpStatus?: number } {
	const response = (error as { errorResponse?: JsonObject }).errorResponse;
	if (typeof response !== 'object' || response === null) return {};
	const code = Number(response.code);
	const httpStatus = Number(response.httpStatus);
	return {
		code: Number.isFinite(code) && code > 0 ? code : undefined,
		param: typeof response.param === 'string' ? response.param : undefined,
		httpStatus: Number.isFinite(httpStatus) ? httpStatus : undefined,
	};
}

export function isNotFound(error: unknown): boolean {
	const { code, httpStatus } = zohoCode(error);
	return code === 1019 || (code === undefined && httpStatus === 404);
}

/** True when SalesIQ rejected the subscription because of its URL (its HEAD check failed). */
function isUrlRejected(error: unknown): boolean {
	const { code, param } = zohoCode(error);
	if (param !== undefined) return param === 'url';
	return code === 1011 && /\burl\b/i.test((error as Error).message ?? '');
}

/** A URL SalesIQ's servers can never reach: not HTTPS, or a loopback or private address. */
function looksPrivate(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		if (protocol !== 'https:') return true;
		return /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|0\.0\.0\.0)/i.test(hostname) || !hostname.includes('.');
	} catch {
		return true;
	}
}

async function screenNameFor(this: IHookFunctions, settings: TriggerSettings): Promise<string> {
	if (settings.screenName) return settings.screenName;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return String(credentials.screenName ?? '');
}

/** Rewrites the three errors a builder can fix (scope, URL, screen name) to say what to do. */
export async function explain(
	this: IHookFunctions,
	error: unknown,
	action: Action,
	settings: TriggerSettings,
	url: string,
	scope: string,
): Promise<Error> {
	if (!(error instanceof NodeApiError)) return error as Error;
	const { code } = zohoCode(error);
	const node = this.getNode();
	const errorResponse = (error.errorResponse ?? {}) as JsonObject;
	if (code === 1009) {
		return new NodeApiError(node, errorResponse, {
			message: `SalesIQ refused to ${ACTION_TEXT[action]}: the credential lacks the scope ${scope}. Reconnect the Zoho SalesIQ credential.`,
			description: zohoHint(1009, { scope }),
			httpCode: error.httpCode ?? undefined,
		});
	}
	if (code === 1005) {
		const screenName = await screenNameFor.call(this, settings);
		return new NodeApiError(node, errorResponse, {
			message: `SalesIQ does not know the portal "${screenName}": check the screen name`,
			description: zohoHint(1005, { screenName }),
			httpCode: error.httpCode ?? undefined,
		});
	}
	if (action === 'create' && isUrlRejected(error)) {
		return new NodeApiError(node, errorResponse, {
			message: `SalesIQ could not reach the trigger’s webhook URL ${url}: n8n must be reachable from the internet at a public HTTPS URL`,
			description: `Before it accepts a subscription, SalesIQ sends a HEAD request to the webhook URL and needs a 200 answer. ${
				looksPrivate(url)
					? 'This URL is not public HTTPS. '
					: 'Check that nothing (firewall, proxy, authentication) blocks requests from Zoho. '
			}Set n8n’s WEBHOOK_URL environment variable to the public HTTPS address of this n8n instance (or use a tunnel), restart n8n, then activate the workflow again.`,
			httpCode: error.httpCode ?? undefined,
		});
	}
	return error;
}

export async function request<T>(this: IHookFunctions, settings: TriggerSettings, endpoint: Endpoint, call?: EndpointCall): Promise<T> {
	return (await salesIqRequest.call(this, { ...endpointRequest(endpoint, call), screenName: settings.screenName })) as T;
}

