import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { ZohoEndpointSettings } from './dataCenters';

/** Every n8n context that may call SalesIQ: node runs, load options, the triggers' hooks, webhooks and polls. */
export type SalesIqContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'zohoSalesIqOAuth2Api';

/** Used when the node's Timeout option is not set. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * One SalesIQ endpoint as the code calls it: method, API version, path and the OAuth scope Zoho
 * requires for it (docs/ZOHO-API.md). Declared next to the code that calls it; the credential's
 * scope list and the hint of error 1009 are read from these declarations.
 */
export interface Endpoint {
	method: IHttpRequestMethods;
	version: 'v1' | 'v2';
	/** Path after /api/{version}/{screen}, starting with '/'; `{name}` is filled with an encoded value. */
	path: string;
	scope: string;
	/** true: /api/{version}{path} with no screen name (portal-level calls such as GET /api/v2/portals). */
	withoutScreen?: boolean;
}

export interface SalesIqRequestOptions {
	method: IHttpRequestMethods;
	version: 'v1' | 'v2';
	/** Path after /api/{version}/{screen}, starting with '/'; build dynamic parts with encodeSegment(). */
	path: string;
	/** true: /api/{version}{path} with no screen name (portal-level calls such as GET /api/v2/portals). */
	withoutScreen?: boolean;
	/** The OAuth scope this endpoint needs, as its caller declares it; named in the hint of error 1009. */
	scope?: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** Overrides the credential's screen name (the "Portal" option). Validated: no '/', '?', '#', etc. */
	screenName?: string;
	itemIndex?: number;
	/** Request timeout in ms. */
	timeout?: number;
	/** Retry a GET after HTTP 500/502/503/504 or a dropped connection (default true). Never applies to other methods. */
	retryOnServerErrors?: boolean;
	/**
	 * Give back the answer itself (a FullResponse whose body is the bytes) instead of its `data`: a
	 * 2xx, or a 3xx unfollowed, for the caller to fetch without the token. Bodies over `maxBytes`
	 * are refused. Errors are judged as for any call: a JSON answer is read for Zoho's error.
	 */
	raw?: { maxBytes: number };
}

/** What the transport reads from the Zoho SalesIQ credential. */
export interface SalesIqCredentials extends ZohoEndpointSettings {
	screenName?: string;
	clientSecret?: string;
	oauthTokenData?: { access_token?: string; refresh_token?: string; error?: unknown };
}

/** An HTTP answer as n8n's helpers return it with `returnFullResponse`. */
export interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}
