import { sleep } from 'n8n-workflow';

/** Tries after throttling (HTTP 429 or code 1023) before giving up. */
export const THROTTLE_RETRIES = 3;
/** Longest Retry-After the node is willing to wait, in seconds. */
const MAX_RETRY_AFTER_S = 60;
/** Extra tries for an idempotent GET after a server error or a dropped connection. */
const SERVER_ERROR_RETRIES = 2;
const SERVER_ERROR_BACKOFF_MS = 300;
const RETRIABLE_STATUSES = new Set([500, 502, 503, 504]);

/** HTTP 500, 502, 503 and 504: worth another try for a read. */
export function isRetriableStatus(statusCode: number): boolean {
	return RETRIABLE_STATUSES.has(statusCode);
}

/** Retry-After in seconds (or an HTTP date), else exponential backoff from 1 s. */
function retryDelayMs(headers: Record<string, unknown>, attempt: number): number {
	const raw = headers['retry-after'] ?? headers['Retry-After'];
	const value = Array.isArray(raw) ? raw[0] : raw;
	if (value !== undefined && value !== null && value !== '') {
		const seconds = Number(value);
		if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, MAX_RETRY_AFTER_S) * 1000;
		const date = Date.parse(String(value));
		if (Number.isFinite(date)) return Math.min(Math.max(date - Date.now(), 0), MAX_RETRY_AFTER_S * 1000);
	}
	return 1000 * 2 ** attempt;
}

/**
 * The retry budget of one call: the API request loop and the file download both use it. Each
 * method waits before the next try and returns true, or returns false when no try is left.
 */
export class Retries {
	private throttleTries = 0;
	private serverTries = 0;

	/** `serverErrors`: whether server errors and dropped connections may be retried at all (idempotent reads). */
	constructor(private readonly serverErrors: boolean) {}

	/** After HTTP 429 (or Zoho's code 1023): waits as Retry-After asks, or backs off from 1 s. */
	async afterThrottling(headers: Record<string, unknown>): Promise<boolean> {
		if (this.throttleTries >= THROTTLE_RETRIES) return false;
		await sleep(retryDelayMs(headers, this.throttleTries));
		this.throttleTries++;
		return true;
	}

	/** After HTTP 500/502/503/504 or a dropped or refused connection: a short backoff, for reads only. */
	async afterServerError(): Promise<boolean> {
		if (!this.serverErrors || this.serverTries >= SERVER_ERROR_RETRIES) return false;
		await sleep(SERVER_ERROR_BACKOFF_MS * 2 ** this.serverTries);
		this.serverTries++;
		return true;
	}

	/** Requests sent so far, counting the one in flight. */
	get attempts(): number {
		return this.throttleTries + this.serverTries + 1;
	}

	/** "The node tried 3 times." after server-error retries, for error descriptions. */
	get triedNote(): string | undefined {
		return this.serverTries > 0 ? `The node tried ${this.serverTries + 1} times.` : undefined;
	}
}
