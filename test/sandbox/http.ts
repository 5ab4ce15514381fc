/** Small HTTP helpers shared by every route module. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route hands back; the server writes it. A non-string, non-Buffer body is sent as JSON. */
export interface Reply {
	status: number;
	headers?: Record<string, string>;
	body?: unknown;
}

export type ErrorPointer = { param: string } | { json_key: string } | { header: string };

/** A SalesIQ API error: `{"error":{"code","message",...pointer}}` with an HTTP status. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		message: string,
		readonly pointer?: ErrorPointer,
	) {
		super(message);
	}

	get body(): { error: Record<string, unknown> } {
		return { error: { code: this.code, message: this.message, ...this.pointer } };
	}
}

export const MESSAGES = {
	1001: 'Unknown authentication error. Contact SalesIQ Team!',
	1002: 'Invalid authorization header.',
	1004: 'Invalid Request Type.',
	1005: 'Invalid portal or wrong screen name.',
	1006: 'Invalid URL',
	1008: 'Invalid OAuthToken.',
	1009: 'Invalid OAuthScope.',
	1011: 'Either the request parameters are invalid or absent',
	1015: 'Either the input stream is invalid or absent',
	1019: 'Invalid Resource',
	1023: 'Too many requests, please try after sometime',
} as const;

/** 1011 with the offending query parameter. */
export function badParam(param: string): ApiError {
	return new ApiError(400, 1011, MESSAGES[1011], { param });
}

/** 1011 with the offending JSON key (v2 bodies). */
export function badJsonKey(key: string): ApiError {
	return new ApiError(400, 1011, MESSAGES[1011], { json_key: key });
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
	return { status, body, headers };
}

export function writeReply(res: ServerResponse, reply: Reply): void {
	if (res.destroyed || res.headersSent) return;
	const headers: Record<string, string> = { ...reply.headers };
	let payload: string | Buffer | undefined;
	if (reply.body === undefined) {
		payload = undefined;
	} else if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
		payload = reply.body;
	} else {
		payload = JSON.stringify(reply.body);
		headers['content-type'] ??= JSON_TYPE;
	}
	if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(reply.status, headers);
	res.end(payload);
}

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Query parameters merged with a form-encoded body (body wins), as Zoho accepts either. */
export function formParams(query: URLSearchParams, req: IncomingMessage, body: string): URLSearchParams {
	const merged = new URLSearchParams(query);
	const type = req.headers['content-type'] ?? '';
	if (body && type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(body)) merged.set(key, value);
	}
	return merged;
}

/** An optional non-negative integer parameter (milliseconds, counts); anything else is 1011 with `param`. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
	const raw = params.get(name);
	if (raw === null) return undefined;
	if (!/^\d{1,16}$/.test(raw.trim())) throw badParam(name);
	return Number(raw.trim());
}

/** `limit`: default as given, values above `max` are clamped, below 1 or non-numeric is 1011. */
export function limitParam(params: URLSearchParams, fallback: number, max: number): number {
	const limit = intParam(params, 'limit');
	if (limit === undefined) return fallback;
	if (limit < 1) throw badParam('limit');
	return Math.min(limit, max);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One authenticated API request, after the route matched. */
export interface RouteContext {
	req: IncomingMessage;
	/** Request path without the query. */
	path: string;
	/** Decoded path captures after the screen name. */
	params: string[];
	query: URLSearchParams;
	body: string;
	/** The sandbox origin, for absolute links such as download URLs. */
	baseUrl: string;
}

export interface ApiRoute {
	method: string;
	/** When `screen` is true the first capture is the portal screen name. */
	pattern: RegExp;
	screen: boolean;
	scope: string;
	handler(ctx: RouteContext): Reply | Promise<Reply>;
}
