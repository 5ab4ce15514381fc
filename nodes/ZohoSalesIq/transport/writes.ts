/**
 * The success rule for writes (every method but GET: Push Send, Clear Badge, Update Visitor, the
 * webhook calls, the bot callbacks). Zoho
 * documents an answer only for Update Visitor, and SalesIQ has been seen answering a write with
 * HTTP 200 and an empty body. So a 2xx answer without an `error` object is success, whatever its
 * body: a write that happened is never reported as failed, or users would repeat it.
 */
import { isRecord } from '../shared/values';

/** What a successful write answered: its `data` when there is one, else the object itself, else undefined. */
export function writeResult(body: unknown): unknown {
	if (!isRecord(body)) return undefined;
	if ('data' in body) return body.data;
	return Object.keys(body).length > 0 ? body : undefined;
}

/** Zoho's answer to a wrong HTTP method: error 1004 "Invalid Request Type", or HTTP 405. */
export function isWrongMethod(error: unknown): boolean {
	const response = (error as { errorResponse?: { code?: unknown; httpStatus?: unknown } } | null)?.errorResponse;
	if (typeof response !== 'object' || response === null) return false;
	return Number(response.code) === 1004 || Number(response.httpStatus) === 405;
}
