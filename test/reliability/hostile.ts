/**
 * Hostile SalesIQ doubles for the cases of hostile-cases.ts: a plain server on 127.0.0.1 that
 * plays the SalesIQ API and Zoho Accounts with answers the sandbox, which follows the API
 * contract, never gives. Each double gets its own tokens, so that what the node remembers per
 * token or per refresh token in one test never carries over into another.
 */
import type * as http from 'node:http';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { credentialFor } from '../harness';
import { startServer, type TestServer } from './support';

export interface HostileApi extends TestServer {
	clientId: string;
	clientSecret: string;
	accessToken: string;
	refreshToken: string;
	/** POSTs to /oauth/v2/token so far. */
	tokenRequests: () => number;
	/** API requests (paths under /api/) so far. */
	apiRequests: () => Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
	credential: (overrides?: ICredentialDataDecryptedObject) => ICredentialDataDecryptedObject;
}

export type HostileHandler = (req: http.IncomingMessage, res: http.ServerResponse, api: HostileApi) => void;

let counter = 0;

/**
 * `api` answers every /api/ request; `token` every POST /oauth/v2/token (by default a new access
 * token, as Zoho Accounts does). Both may read `api.requests`.
 */
export async function startHostileApi(handlers: { api: HostileHandler; token?: HostileHandler }): Promise<HostileApi> {
	const n = ++counter;
	const tag = `${process.pid}x${n}`;
	let issued = 0;
	const api = {} as HostileApi;
	const server = await startServer((req, res) => {
		if ((req.url ?? '').startsWith('/oauth/v2/token')) {
			if (handlers.token) return handlers.token(req, res, api);
			issued++;
			const body = JSON.stringify({ access_token: `1000.hostile${tag}renewed${issued}.abcdef${issued}`, token_type: 'Bearer', expires_in: 3600, api_domain: 'https://www.zohoapis.com' });
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
			return res.end(body);
		}
		handlers.api(req, res, api);
	});
	Object.assign(api, server, {
		clientId: `hostile-client-${tag}`,
		clientSecret: `hostile-secret-${tag}-0123456789`,
		accessToken: `1000.hostile${tag}access.abcdef0123`,
		refreshToken: `1000.hostile${tag}refresh.abcdef0123`,
		tokenRequests: () => server.requests.filter((r) => r.path.startsWith('/oauth/v2/token')).length,
		apiRequests: () => server.requests.filter((r) => r.path.startsWith('/api/')),
	});
	api.credential = (overrides = {}) => credentialFor({ ...api, url: server.url }, overrides);
	return api;
}

/** Writes `body` as JSON with `status`. */
export function answer(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}

export function redirect(res: http.ServerResponse, status: number, location: string): void {
	res.writeHead(status, { location, 'content-length': '0' });
	res.end();
}

/** The heap in MB after a full collection when the process runs with --expose-gc, else as it is. */
export function heapMb(): number {
	(globalThis as { gc?: () => void }).gc?.();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}
