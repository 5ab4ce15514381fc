import type { IExecuteFunctions } from 'n8n-workflow';

import { discardBody, readBody } from './body';
import { deadlineIn, PAST_DEADLINE, withDeadline } from './deadline';
import { sentence, transportError } from './errors';
import { isControlCode } from './redaction';
import { isRetriableStatus, Retries } from './retry';
import { describeThrown } from './thrown';

/** Default of the Max File Size option, in MB. */
export const DEFAULT_MAX_FILE_MB = 100;

/** Longest file name kept, in characters. */
const MAX_FILE_NAME = 200;

/**
 * A file name a server chose (Content-Disposition, a transcript entry) as it may be stored: the
 * base name only (no folders, so never "../.ssh/authorized_keys"), without control characters,
 * cut to 200 characters; undefined when nothing usable is left.
 */
export function safeFileName(name: string | undefined): string | undefined {
	if (name === undefined) return undefined;
	const printable = [...name].filter((c) => !isControlCode(c.charCodeAt(0)) && c !== '\u2028' && c !== '\u2029').join('');
	const base = printable.split(/[\\/]/).pop()?.trim();
	if (!base || base === '.' || base === '..') return undefined;
	return base.length > MAX_FILE_NAME ? base.slice(base.length - MAX_FILE_NAME) : base;
}

export interface DownloadedFile {
	statusCode: number;
	headers: Record<string, unknown>;
	body: Buffer;
	/** Requests sent, retries included. */
	attempts: number;
}

function asBuffer(raw: unknown): Buffer {
	if (raw instanceof Uint8Array) return Buffer.from(raw);
	if (Buffer.isBuffer(raw)) return raw;
	if (raw instanceof ArrayBuffer) return Buffer.from(raw);
	if (typeof raw === 'string') return Buffer.from(raw);
	return Buffer.alloc(0);
}

/**
 * Fetches a public download link. It sends no credentials: the link must never see the token.
 * Like the API reads, it waits out HTTP 429 and, when `retryOnServerErrors`, tries again after
 * HTTP 500/502/503/504 or a dropped connection. Redirects are returned, not followed.
 *
 * Each response, file included, must arrive within `timeout`; a file over `maxBytes` is refused.
 * Either way the connection is closed at once.
 */
export async function downloadPublicFile(
	this: IExecuteFunctions,
	url: string,
	timeout: number,
	itemIndex: number,
	retryOnServerErrors = true,
	maxBytes = DEFAULT_MAX_FILE_MB * 1024 * 1024,
): Promise<DownloadedFile> {
	const node = this.getNode();
	const retries = new Retries(retryOnServerErrors);
	const timedOut = () =>
		transportError(node, `The attachment download did not finish within ${timeout} ms`, 'Try again later, or raise the Timeout option of the node.', {
			itemIndex,
			reason: 'timeout',
			note: retries.triedNote,
		});
	const failed = (message: string) =>
		transportError(
			node,
			'The attachment download failed',
			`${sentence(message || 'The connection failed')} Download links are temporary; run the node again to get a fresh one.`,
			{ itemIndex, reason: 'download', note: retries.triedNote },
		);
	for (;;) {
		const deadline = deadlineIn(timeout);
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown } | typeof PAST_DEADLINE;
		try {
			response = await withDeadline(
				this.helpers.httpRequest({
					method: 'GET',
					url,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					timeout,
				}) as Promise<{ statusCode: number; headers: Record<string, unknown>; body: unknown }>,
				deadline,
				(late) => discardBody(late.body),
			);
		} catch (error) {
			const failure = describeThrown(error);
			if ((failure.reset || failure.refused) && (await retries.afterServerError())) continue;
			if (failure.timedOut) throw timedOut();
			throw failed(failure.message);
		}
		if (response === PAST_DEADLINE) throw timedOut();
		const read = await readBody(response.body, response.headers ?? {}, { deadline, maxBytes });
		if (read.failure?.kind === 'timeout') throw timedOut();
		if (read.failure?.kind === 'too-large') {
			throw transportError(
				node,
				`The attachment is larger than ${maxBytes / 1024 / 1024} MB`,
				'The node stopped the download. Raise the Max File Size option to download larger files.',
				{ itemIndex, reason: 'too-large' },
			);
		}
		if (read.failure !== undefined) {
			if (await retries.afterServerError()) continue;
			throw failed(read.failure.message);
		}
		const body = asBuffer(read.body);
		const headers = response.headers ?? {};
		if (response.statusCode === 429 && (await retries.afterThrottling(headers))) continue;
		if (isRetriableStatus(response.statusCode) && (await retries.afterServerError())) continue;
		return { statusCode: response.statusCode, headers, body, attempts: retries.attempts };
	}
}
