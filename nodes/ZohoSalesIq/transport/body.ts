/**
 * Reads a response body that n8n's HTTP helper hands over as a stream, within a deadline and a
 * size cap. n8n's own timeout only notices a socket that stays silent, so a server that sends one
 * byte now and then would hold a request for ever; and n8n reads any body fully into memory. Here
 * the whole response must arrive before its deadline and within its cap, or the stream is
 * destroyed (which closes the connection) and the read fails with what happened.
 */
import type { Deadline } from './deadline';

/** The most a SalesIQ API answer may hold. A page of 100 chats is a few hundred kB. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** Why a body could not be read: out of time, over the cap, or the connection closed early. */
export interface BodyFailure {
	kind: 'timeout' | 'too-large' | 'closed';
	/** Bytes received before the read ended. */
	bytes: number;
	message: string;
}

export type BodyRead = { body: Buffer | unknown; failure?: undefined } | { failure: BodyFailure };

interface StreamLike {
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(error?: Error): unknown;
}

function isStream(value: unknown): value is StreamLike {
	return typeof value === 'object' && value !== null && typeof (value as StreamLike).on === 'function' && typeof (value as StreamLike).destroy === 'function';
}

/** Closes a response stream the node no longer wants; anything else is left alone. */
export function discardBody(body: unknown): void {
	if (isStream(body)) body.destroy();
}

/** The declared Content-Length, if it is a number. */
function declaredLength(headers: Record<string, unknown>): number | undefined {
	const raw = headers['content-length'];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The whole body as bytes, before `limits.deadline` fires (deadline.ts) and within `maxBytes`. A
 * body that is not a stream (a runtime that already read it) is returned as it is.
 */
export async function readBody(
	body: unknown,
	headers: Record<string, unknown>,
	limits: { deadline: Deadline; maxBytes: number },
): Promise<BodyRead> {
	if (!isStream(body)) return { body };
	const declared = declaredLength(headers);
	if (declared !== undefined && declared > limits.maxBytes) {
		body.destroy();
		return { failure: { kind: 'too-large', bytes: 0, message: `The response is ${declared} bytes long` } };
	}
	return await new Promise<BodyRead>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		let stopWatching = () => {};
		const finish = (failure?: BodyFailure) => {
			if (done) return;
			done = true;
			stopWatching();
			if (failure) body.destroy();
			resolve(failure ? { failure } : { body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
		};
		stopWatching = limits.deadline.watch(() => finish({ kind: 'timeout', bytes: size, message: 'The response did not arrive in time' }));
		if (done) return;
		body.on('data', (chunk: unknown) => {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
			size += bytes.length;
			if (size > limits.maxBytes) return finish({ kind: 'too-large', bytes: size, message: `The response is over ${limits.maxBytes} bytes long` });
			chunks.push(bytes);
		});
		body.on('end', () => finish());
		body.on('error', (error: unknown) =>
			finish({ kind: 'closed', bytes: size, message: error instanceof Error && error.message ? error.message : 'The connection was closed' }),
		);
		body.on('close', () => finish({ kind: 'closed', bytes: size, message: 'The connection was closed before the response ended' }));
	});
}

/** What a body holds: its JSON value with the text it was parsed from, or anything else as it is. */
export interface ParsedBody {
	value: unknown;
	/** The JSON text `value` was parsed from (redaction.ts searches it for secrets). */
	text?: string;
}

/** JSON text as a value; anything else as the text itself (describeBody explains it). */
export function parseJson(bytes: Buffer | unknown): ParsedBody {
	if (!Buffer.isBuffer(bytes)) return { value: bytes };
	let text = bytes.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.trim() === '') return { value: '' };
	try {
		return { value: JSON.parse(text) as unknown, text };
	} catch {
		return { value: text };
	}
}
