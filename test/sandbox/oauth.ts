/**
 * Emulated Zoho Accounts: the authorization endpoint, the token endpoint and both revoke paths.
 * Rules (docs/ZOHO-API.md, OAuth): codes are single-use and live 120 s; a refresh
 * token comes only with access_type=offline; at most 20 refresh tokens per user and client (the 21st
 * evicts the oldest); at most 10 refresh grants per refresh token in any 10 minutes; at most 30 live
 * access tokens per refresh token. Token endpoint errors are HTTP 200 with `{"error":"..."}`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './http';
import { json } from './http';

/** Every scope the sandbox checks; the pre-issued token holds all of them. */
export const ALL_SCOPES = [
	'SalesIQ.chatdetails.READ',
	'SalesIQ.chattranscript.READ',
	'SalesIQ.visitordetails.READ',
	'SalesIQ.visitordetails.UPDATE',
	'SalesIQ.PushNotifications.UPDATE',
	'SalesIQ.portals.READ',
	'SalesIQ.Apps.READ',
	'SalesIQ.departments.READ',
	'SalesIQ.conversations.READ',
	'SalesIQ.conversations.UPDATE',
	'SalesIQ.webhooks.READ',
	'SalesIQ.webhooks.CREATE',
	'SalesIQ.webhooks.UPDATE',
	'SalesIQ.webhooks.DELETE',
	'SalesIQ.callbacks.UPDATE',
];

const CODE_TTL_MS = 120_000;
const MAX_REFRESH_TOKENS = 20;
const MAX_GRANTS_PER_WINDOW = 10;
const GRANT_WINDOW_MS = 600_000;
const MAX_ACCESS_PER_REFRESH = 30;
const USER_ID = 'sandbox-user';
const API_DOMAIN = 'https://www.zohoapis.com';

export interface OAuthOptions {
	clientId: string;
	clientSecret: string;
	ttlSeconds: number;
	legacyExpiresIn: boolean;
	deny: boolean;
	now: () => number;
	/** The sandbox origin, sent back as `accounts-server`. */
	baseUrl: () => string;
}

export interface AccessGrant {
	token: string;
	clientId: string;
	scopes: string[];
	expiresAt: number;
	refreshToken?: string;
}

interface RefreshGrant {
	token: string;
	clientId: string;
	scopes: string[];
	grantTimes: number[];
	accessTokens: string[];
}

interface AuthCode {
	clientId: string;
	redirectUri: string;
	scopes: string[];
	offline: boolean;
	expiresAt: number;
}

function newToken(): string {
	return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

/** `SalesIQ.x.OP` is granted by `SalesIQ.x.OP` or `SalesIQ.x.ALL`, compared case-insensitively. */
export function hasScope(granted: readonly string[], required: string): boolean {
	const want = required.toLowerCase();
	const all = `${want.slice(0, want.lastIndexOf('.'))}.all`;
	return granted.some((scope) => {
		const have = scope.toLowerCase();
		return have === want || have === all;
	});
}

export class OAuthServer {
	deny: boolean;
	private readonly codes = new Map<string, AuthCode>();
	private readonly refreshGrants = new Map<string, RefreshGrant>();
	private readonly accessGrants = new Map<string, AccessGrant>();
	/** Refresh tokens per user and client, oldest first, for the 20-token limit. */
	private readonly perUser = new Map<string, string[]>();

	constructor(private readonly options: OAuthOptions) {
		this.deny = options.deny;
	}

	/** Issues an offline grant without the browser dance: used for the pre-issued tokens. */
	issue(scopes: string[]): { accessToken: string; refreshToken: string } {
		const refresh = this.createRefreshGrant(this.options.clientId, scopes);
		return { accessToken: this.createAccessGrant(this.options.clientId, scopes, refresh).token, refreshToken: refresh.token };
	}

	/** The live grant behind an access token, or undefined when unknown, revoked or expired. */
	verify(token: string): AccessGrant | undefined {
		const grant = this.accessGrants.get(token);
		if (!grant || grant.expiresAt <= this.options.now()) return undefined;
		return grant;
	}

	expireAccessTokens(): number {
		const now = this.options.now();
		let count = 0;
		for (const grant of this.accessGrants.values()) {
			if (grant.expiresAt > now) count++;
			grant.expiresAt = Math.min(grant.expiresAt, now);
		}
		return count;
	}

	revokeRefreshToken(token: string): boolean {
		const grant = this.refreshGrants.get(token);
		if (!grant) return false;
		this.dropRefreshGrant(grant);
		return true;
	}

	handle(method: string, path: string, params: URLSearchParams, headers: IncomingHttpHeaders): Reply {
		if (path === '/oauth/v2/auth' && method === 'GET') return this.authorize(params);
		if (path === '/oauth/v2/token' && method === 'POST') return this.token(params);
		if (path === '/oauth/v2/token/revoke' && method === 'POST') return this.revoke(params.get('token'), null);
		if (path === '/oauth/v2/revoke/token' && method === 'POST') {
			if (!this.basicAuthMatches(headers.authorization)) return json(400, { error: 'invalid_client' });
			return this.revoke(params.get('token'), params.get('token_type'));
		}
		const known = ['/oauth/v2/auth', '/oauth/v2/token', '/oauth/v2/token/revoke', '/oauth/v2/revoke/token'];
		if (known.includes(path)) return json(405, { error: 'invalid_request' }, { allow: path === '/oauth/v2/auth' ? 'GET' : 'POST' });
		return json(404, { error: 'invalid_request' });
	}

	/** Consents at once (or denies with --deny) and redirects back like Zoho's multi-DC callback. */
	private authorize(params: URLSearchParams): Reply {
		const redirectUri = params.get('redirect_uri') ?? '';
		let target: URL;
		try {
			target = new URL(redirectUri);
		} catch {
			return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Invalid redirect_uri' };
		}
		const state = params.get('state');
		const redirect = (query: Record<string, string>): Reply => {
			for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
			if (state !== null) target.searchParams.set('state', state);
			return { status: 302, headers: { location: target.toString() } };
		};
		if (params.get('client_id') !== this.options.clientId) return redirect({ error: 'invalid_client' });
		if (params.get('response_type') !== 'code') return redirect({ error: 'unsupported_response_type' });
		const scopes = (params.get('scope') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
		if (scopes.length === 0) return redirect({ error: 'invalid_scope' });
		if (this.deny) return redirect({ error: 'access_denied' });
		const code = newToken();
		this.codes.set(code, {
			clientId: this.options.clientId,
			redirectUri,
			scopes,
			offline: params.get('access_type') === 'offline',
			expiresAt: this.options.now() + CODE_TTL_MS,
		});
		return redirect({ code, location: 'us', 'accounts-server': this.options.baseUrl() });
	}

	private token(params: URLSearchParams): Reply {
		const grantType = params.get('grant_type');
		if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
			return json(200, { error: 'unsupported_grant_type' });
		}
		if (params.get('client_id') !== this.options.clientId || params.get('client_secret') !== this.options.clientSecret) {
			return json(200, { error: 'invalid_client' });
		}
		const clientId = this.options.clientId;
		if (grantType === 'authorization_code') {
			const codeValue = params.get('code') ?? '';
			const code = this.codes.get(codeValue);
			if (!code || code.expiresAt <= this.options.now() || code.clientId !== clientId) {
				return json(200, { error: 'invalid_code' });
			}
			if (params.get('redirect_uri') !== code.redirectUri) return json(200, { error: 'invalid_redirect_uri' });
			this.codes.delete(codeValue);
			const refresh = code.offline ? this.createRefreshGrant(clientId, code.scopes) : undefined;
			const access = this.createAccessGrant(clientId, code.scopes, refresh);
			return json(200, this.tokenBody(access, refresh?.token));
		}
		const refresh = this.refreshGrants.get(params.get('refresh_token') ?? '');
		if (!refresh || refresh.clientId !== clientId) return json(200, { error: 'invalid_code' });
		const now = this.options.now();
		refresh.grantTimes = refresh.grantTimes.filter((t) => t > now - GRANT_WINDOW_MS);
		if (refresh.grantTimes.length >= MAX_GRANTS_PER_WINDOW) return json(200, { error: 'Access Denied' });
		refresh.grantTimes.push(now);
		return json(200, this.tokenBody(this.createAccessGrant(clientId, refresh.scopes, refresh)));
	}

	private revoke(token: string | null, tokenType: string | null): Reply {
		const refresh = token === null ? undefined : this.refreshGrants.get(token);
		const access = token === null ? undefined : this.accessGrants.get(token);
		if (refresh && tokenType !== 'access_token') {
			this.dropRefreshGrant(refresh);
		} else if (access && tokenType !== 'refresh_token') {
			this.accessGrants.delete(access.token);
		} else {
			return json(400, { error: 'invalid_token' });
		}
		return json(200, { status: 'success' });
	}

	/** The newer revoke path takes HTTP Basic client credentials; when sent they must match. */
	private basicAuthMatches(header: string | undefined): boolean {
		if (!header) return true;
		const match = /^Basic\s+(.+)$/i.exec(header);
		if (!match) return false;
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		return decoded === `${this.options.clientId}:${this.options.clientSecret}`;
	}

	private tokenBody(access: AccessGrant, refreshToken?: string): Record<string, unknown> {
		const body: Record<string, unknown> = { access_token: access.token };
		if (refreshToken) body.refresh_token = refreshToken;
		body.api_domain = API_DOMAIN;
		body.token_type = 'Bearer';
		const ttl = this.options.ttlSeconds;
		if (this.options.legacyExpiresIn) {
			body.expires_in_sec = ttl;
			body.expires_in = ttl * 1000;
		} else {
			body.expires_in = ttl;
		}
		return body;
	}

	private createRefreshGrant(clientId: string, scopes: string[]): RefreshGrant {
		const grant: RefreshGrant = {
			token: newToken(),
			clientId,
			scopes: [...scopes],
			grantTimes: [],
			accessTokens: [],
		};
		this.refreshGrants.set(grant.token, grant);
		const key = `${USER_ID}:${clientId}`;
		const owned = this.perUser.get(key) ?? [];
		owned.push(grant.token);
		this.perUser.set(key, owned);
		while (owned.length > MAX_REFRESH_TOKENS) {
			const oldest = this.refreshGrants.get(owned[0]);
			if (oldest) this.dropRefreshGrant(oldest);
			else owned.shift();
		}
		return grant;
	}

	private createAccessGrant(clientId: string, scopes: string[], refresh?: RefreshGrant): AccessGrant {
		const grant: AccessGrant = {
			token: newToken(),
			clientId,
			scopes: [...scopes],
			expiresAt: this.options.now() + this.options.ttlSeconds * 1000,
			refreshToken: refresh?.token,
		};
		this.accessGrants.set(grant.token, grant);
		if (refresh) {
			refresh.accessTokens.push(grant.token);
			while (refresh.accessTokens.length > MAX_ACCESS_PER_REFRESH) this.accessGrants.delete(refresh.accessTokens.shift() as string);
		}
		return grant;
	}

	/** Revoking or evicting a refresh token also kills every access token it minted. */
	private dropRefreshGrant(grant: RefreshGrant): void {
		this.refreshGrants.delete(grant.token);
		for (const token of grant.accessTokens) this.accessGrants.delete(token);
		const owned = this.perUser.get(`${USER_ID}:${grant.clientId}`);
		if (owned) {
			const index = owned.indexOf(grant.token);
			if (index >= 0) owned.splice(index, 1);
		}
	}
}
