import type { IExecuteFunctions } from 'n8n-workflow';

import { sentence, transportError } from './errors';
import { isRetriableStatus, Retries } from './retry';
import { describeThrown } from './thrown';

export interface DownloadedFile {
	statusCode: number;
	headers: Record<string, unknown>;
	body: Buffer;
	/** Requests sent, retries included. */
	attempts: number;
}

function asBuffer(raw: unknown): Buffer {
	if (Buffer.isBuffer(raw)) return raw;
	if (raw instanceof ArrayBuffer) return Buffer.from(raw);
	if (typeof raw === 'string') return Buffer.from(raw);
	return Buffer.alloc(0);
}

/**
 * Fetches a public download link. It sends no credentials: the link must never see the token.
 * Like the API reads, it waits out HTTP 429 and, when `retryOnServerErrors`, tries again after
 * HTTP 500/502/503/504 or a dropped connection. Redirects are returned, not followed.
 */
export async function downloadPublicFile(
	this: IExecuteFunctions,
	url: string,
	timeout: number,
	itemIndex: number,
	retryOnServerErrors = true,
): Promise<DownloadedFile> {
	const retries = new Retries(retryOnServerErrors);
	for (;;) {
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout,
			})) as typeof response;
		} catch (error) {
			const failure = describeThrown(error);
			if ((failure.reset || failure.refused) && (await retries.afterServerError())) continue;
			throw transportError(
				this.getNode(),
				failure.timedOut ? `The attachment download did not finish within ${timeout} ms` : 'The attachment download failed',
				failure.timedOut
					? 'Try again later, or raise the Timeout option of the node.'
					: `${sentence(failure.message || 'The connection failed')} Download links are temporary; run the node again to get a fresh one.`,
				{ itemIndex, reason: failure.timedOut ? 'timeout' : 'download', note: retries.triedNote },
			);
		}
		const headers = response.headers ?? {};
		if (response.statusCode === 429 && (await retries.afterThrottling(headers))) continue;
		if (isRetriableStatus(response.statusCode) && (await retries.afterServerError())) continue;
		return { statusCode: response.statusCode, headers, body: asBuffer(response.body), attempts: retries.attempts };
	}
}
