/** Shared helpers for the sandbox's own test suite. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from './index';

export const ANCHOR = Date.UTC(2026, 10, 1);

/** Parsed JSON in tests: shapes are asserted at run time, so static typing would only add casts. */
export type Json = any;

export interface JsonResponse<T = Json> {
	status: number;
	headers: Headers;
	body: T;
}

/** Calls the sandbox API with a token (the pre-issued one by default) and parses the JSON answer. */
export async function api<T = Json>(
	sandbox: Sandbox,
	path: string,
	init: RequestInit & { token?: string | null; scheme?: string } = {},
): Promise<JsonResponse<T>> {
	const { token = sandbox.accessToken, scheme = 'Bearer', ...rest } = init;
	const headers = new Headers(rest.headers);
	if (token !== null) headers.set('authorization', `${scheme} ${token}`);
	const res = await fetch(`${sandbox.url}${path}`, { ...rest, headers });
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** `/api/v1/<screen><rest>` */
export function v1(sandbox: Sandbox, rest: string): string {
	return `/api/v1/${sandbox.screenName}${rest}`;
}

/** Runs the authorization request and returns the redirect's query parameters. */
export async function authorize(sandbox: Sandbox, params: Record<string, string>): Promise<URLSearchParams> {
	const query = new URLSearchParams({
		response_type: 'code',
		client_id: sandbox.clientId,
		redirect_uri: 'http://127.0.0.1:9/callback',
		access_type: 'offline',
		prompt: 'consent',
		state: 'st-1',
		scope: 'SalesIQ.chatdetails.READ',
		...params,
	});
	const res = await fetch(`${sandbox.url}/oauth/v2/auth?${query}`, { redirect: 'manual' });
	if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
	return new URL(res.headers.get('location') as string).searchParams;
}

/** POSTs to the token endpoint with the parameters in the query string or a form body. */
export async function token(sandbox: Sandbox, params: Record<string, string>, where: 'query' | 'form' = 'form') {
	const body = new URLSearchParams(params);
	const res =
		where === 'query'
			? await fetch(`${sandbox.url}/oauth/v2/token?${body}`, { method: 'POST' })
			: await fetch(`${sandbox.url}/oauth/v2/token`, { method: 'POST', body });
	return { status: res.status, body: (await res.json()) as Record<string, Json> };
}

/** Full code flow: authorize with `scope` and exchange the code; returns the token response. */
export async function grant(sandbox: Sandbox, scope: string, accessType = 'offline') {
	const callback = await authorize(sandbox, { scope, access_type: accessType });
	const res = await token(sandbox, {
		grant_type: 'authorization_code',
		client_id: sandbox.clientId,
		client_secret: sandbox.clientSecret,
		redirect_uri: 'http://127.0.0.1:9/callback',
		code: callback.get('code') as string,
	});
	return res.body;
}

export function refresh(sandbox: Sandbox, refreshToken: string) {
	return token(sandbox, {
		grant_type: 'refresh_token',
		client_id: sandbox.clientId,
		client_secret: sandbox.clientSecret,
		refresh_token: refreshToken,
	});
}

export interface Received {
	method: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A webhook subscriber on 127.0.0.1: answers HEAD with `headStatus` and POST with the queued statuses (then 200). */
export async function subscriber(options: { headStatus?: number } = {}) {
	const received: Received[] = [];
	const statuses: number[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.statusCode = req.method === 'HEAD' ? (options.headStatus ?? 200) : (statuses.shift() ?? 200);
			res.end(req.method === 'HEAD' ? undefined : 'ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		posts: () => received.filter((r) => r.method === 'POST'),
		/** Statuses for the next POSTs, in order. */
		answer: (...next: number[]) => statuses.push(...next),
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
