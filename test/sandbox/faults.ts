/**
 * Fault injection for reliability tests and benchmarks.
 *
 * Fault shape (also in docs/SANDBOX-DRIVING.md):
 *   kind        'status'    HTTP `status` (default 500) with a JSON error body (code `code`, default 1001)
 *               'throttle'  HTTP 429 (or `status`) with `Retry-After: retryAfter` (default 1) and error code 1023
 *               'code1023'  HTTP 200 with error code 1023 in the body, the form Zoho's docs describe
 *               'reset'     the TCP connection is reset without any response
 *               'hang'      no response at all until the client gives up or the sandbox stops
 *               'malformed' HTTP 200 (or `status`) with truncated JSON
 *               'html'      an HTML error page with HTTP 502 (or `status`)
 *               'empty'     HTTP 200 (or `status`) with an empty body
 *               'latency'   waits `ms` milliseconds, then answers normally
 *   match       only paths containing this text; `/.../` is a regular expression source
 *   method      only this HTTP method
 *   everyNth    fire on every Nth matching request only (N, 2N, ...)
 *   times       fire this many times, then remove the fault (the next K requests)
 *   ms          delay for 'latency'
 *   status      HTTP status override
 *   retryAfter  Retry-After seconds ('throttle', optional on 'status' and 'code1023')
 *   code        error code in the body for 'status'
 *   as200       answer HTTP 200 with the same body and headers ('status', 'throttle', 'html')
 * Without match/method/everyNth/times a fault hits every API, accounts and download request.
 * Latency faults add up; of the other kinds only the earliest added fault that fires is applied.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_TYPE, MESSAGES, writeReply } from './http';

export type FaultKind = 'status' | 'throttle' | 'code1023' | 'reset' | 'hang' | 'malformed' | 'html' | 'empty' | 'latency';

export interface Fault {
	kind: FaultKind;
	status?: number;
	retryAfter?: number;
	match?: string;
	method?: string;
	everyNth?: number;
	times?: number;
	ms?: number;
	code?: number;
	as200?: boolean;
}

export interface FaultState extends Fault {
	id: string;
	/** Matching requests seen so far. */
	seen: number;
	/** Times the fault fired. */
	fired: number;
}

const KINDS: readonly FaultKind[] = ['status', 'throttle', 'code1023', 'reset', 'hang', 'malformed', 'html', 'empty', 'latency'];

function isCount(value: unknown, min: number): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** Throws a readable Error for a fault the engine would misread. */
export function validateFault(input: unknown): Fault {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('a fault must be a JSON object');
	const fault = input as Fault;
	if (!KINDS.includes(fault.kind)) throw new Error(`fault kind must be one of ${KINDS.join(', ')}`);
	if (fault.status !== undefined && !(isCount(fault.status, 100) && fault.status <= 599)) throw new Error('status must be an HTTP status');
	if (fault.retryAfter !== undefined && !isCount(fault.retryAfter, 0)) throw new Error('retryAfter must be an integer >= 0');
	if (fault.everyNth !== undefined && !isCount(fault.everyNth, 1)) throw new Error('everyNth must be an integer >= 1');
	if (fault.times !== undefined && !isCount(fault.times, 1)) throw new Error('times must be an integer >= 1');
	if (fault.code !== undefined && !isCount(fault.code, 1)) throw new Error('code must be a positive integer');
	if (fault.kind === 'latency' && !isCount(fault.ms, 0)) throw new Error('a latency fault needs ms (integer >= 0)');
	if (fault.ms !== undefined && !isCount(fault.ms, 0)) throw new Error('ms must be an integer >= 0');
	if (fault.match !== undefined && typeof fault.match !== 'string') throw new Error('match must be a string');
	if (fault.method !== undefined && typeof fault.method !== 'string') throw new Error('method must be a string');
	if (fault.as200 !== undefined && typeof fault.as200 !== 'boolean') throw new Error('as200 must be a boolean');
	if (fault.match) pathMatcher(fault.match);
	return fault;
}

function pathMatcher(match: string): (path: string) => boolean {
	if (match.length > 2 && match.startsWith('/') && match.endsWith('/')) {
		const regex = new RegExp(match.slice(1, -1));
		return (path) => regex.test(path);
	}
	return (path) => path.includes(match);
}

interface ActiveFault {
	state: FaultState;
	matches: (path: string) => boolean;
}

export class FaultEngine {
	private faults: ActiveFault[] = [];
	private nextId = 1;

	add(input: unknown): string {
		const fault = validateFault(input);
		const id = `f${this.nextId++}`;
		this.faults.push({
			state: { ...fault, id, seen: 0, fired: 0 },
			matches: fault.match ? pathMatcher(fault.match) : () => true,
		});
		return id;
	}

	remove(id: string): boolean {
		const before = this.faults.length;
		this.faults = this.faults.filter((f) => f.state.id !== id);
		return this.faults.length < before;
	}

	clear(): void {
		this.faults = [];
	}

	list(): FaultState[] {
		return this.faults.map((f) => ({ ...f.state }));
	}

	/** Counts this request against every matching fault and returns the added latency and the fault to apply. */
	select(method: string, path: string): { delayMs: number; fault?: FaultState } {
		let delayMs = 0;
		let chosen: FaultState | undefined;
		for (const { state, matches } of this.faults) {
			if (state.method && state.method.toUpperCase() !== method) continue;
			if (!matches(path)) continue;
			state.seen++;
			if (state.everyNth && state.seen % state.everyNth !== 0) continue;
			if (state.kind === 'latency') {
				delayMs += state.ms ?? 0;
				state.fired++;
			} else if (!chosen) {
				chosen = state;
				state.fired++;
			}
		}
		this.faults = this.faults.filter((f) => f.state.times === undefined || f.state.fired < f.state.times);
		return { delayMs, fault: chosen && { ...chosen } };
	}
}

function htmlPage(status: number): string {
	const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
	return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}

const STATUS_TEXT: Record<number, string> = {
	200: 'OK',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Temporarily Unavailable',
	504: 'Gateway Time-out',
};

/**
 * Answers (or refuses to answer) a request as the fault says. `errorsAs200` is the sandbox switch;
 * it also turns a throttle into HTTP 200 unless the fault sets `as200` itself.
 */
export function applyFault(fault: FaultState, req: IncomingMessage, res: ServerResponse, errorsAs200: boolean): void {
	const retryAfter = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : undefined;
	const errorBody = (code: number) => ({
		error: { code, message: (MESSAGES as Record<number, string>)[code] ?? 'Internal Server Error' },
	});
	switch (fault.kind) {
		case 'status':
			writeReply(res, { status: fault.as200 ? 200 : (fault.status ?? 500), headers: retryAfter, body: errorBody(fault.code ?? 1001) });
			return;
		case 'throttle':
			writeReply(res, {
				status: (fault.as200 ?? errorsAs200) ? 200 : (fault.status ?? 429),
				headers: { 'retry-after': String(fault.retryAfter ?? 1) },
				body: errorBody(1023),
			});
			return;
		case 'code1023':
			writeReply(res, { status: 200, headers: retryAfter, body: errorBody(1023) });
			return;
		case 'reset':
			req.socket.resetAndDestroy();
			return;
		case 'hang':
			return;
		case 'malformed':
			writeReply(res, {
				status: fault.status ?? 200,
				headers: { 'content-type': JSON_TYPE },
				body: '{"data":[{"chat_id":"1001","question":"Can you help me with the pay',
			});
			return;
		case 'html': {
			const status = fault.status ?? 502;
			writeReply(res, { status: fault.as200 ? 200 : status, headers: { 'content-type': 'text/html' }, body: htmlPage(status) });
			return;
		}
		case 'empty':
			writeReply(res, { status: fault.status ?? 200, headers: { 'content-type': JSON_TYPE }, body: '' });
			return;
		case 'latency':
			return;
	}
}
