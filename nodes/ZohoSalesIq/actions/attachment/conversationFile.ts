import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getApiBaseUrl } from '../../transport/credential';
import type { DownloadedFile } from '../../transport/download';
import { transportError } from '../../transport/errors';
import { downloadFile } from '../../transport/fileHosts';
import { isRedirect } from '../../transport/redirect';
import { endpointRequest, salesIqRequest } from '../../transport/request';
import type { Endpoint, FullResponse } from '../../transport/types';
import { toMs } from '../../shared/values';
import type { RequestSettings } from '../runtime';

/** One file of a conversation (v2), by the file's id. */
export const CONVERSATION_FILE: Endpoint = {
	method: 'GET',
	version: 'v2',
	path: '/conversations/{conversationId}/attachments/{attachmentId}',
	scope: 'SalesIQ.conversations.READ',
};

export interface ConversationFile extends DownloadedFile {
	/** The size the answer announced (`content-length` next to a link), to check the download against. */
	announcedSize?: number;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

/**
 * A file of a conversation through v2. Zoho does not document the answer, so each plausible one is
 * read: the file's bytes; a redirect to a download link; or JSON whose `data` holds the link
 * (`download_url`, `url` or `link`). A link is fetched under the download host rules, never with
 * the token; a redirect is not followed by the API call, which would send the token along.
 */
export async function fetchConversationFile(
	this: IExecuteFunctions,
	settings: RequestSettings,
	conversationId: string,
	attachmentId: string,
	maxBytes: number,
): Promise<ConversationFile> {
	const answer = (await salesIqRequest.call(this, {
		...endpointRequest(CONVERSATION_FILE, { params: { conversationId, attachmentId } }),
		...settings,
		raw: { maxBytes },
	})) as FullResponse;
	if (Buffer.isBuffer(answer.body) && !isRedirect(answer.statusCode)) {
		return { statusCode: answer.statusCode, headers: answer.headers, body: answer.body, attempts: 1 };
	}
	let link = '';
	let announcedSize: number | undefined;
	if (isRedirect(answer.statusCode)) {
		const location = text(answer.headers.location);
		try {
			link = location ? new URL(location, await getApiBaseUrl.call(this)).toString() : '';
		} catch {
			link = location;
		}
	} else {
		const body = typeof answer.body === 'object' && answer.body !== null ? (answer.body as IDataObject) : {};
		const data = typeof body.data === 'object' && body.data !== null ? (body.data as IDataObject) : {};
		link = text(data.download_url) || text(data.link) || text(data.url);
		announcedSize = toMs(data['content-length']);
	}
	if (!link) {
		throw transportError(
			this.getNode(),
			'SalesIQ answered the file request without the file or a link to it',
			'The answer was neither the file, nor a redirect, nor JSON with a download link. Try again later.',
			{ itemIndex: settings.itemIndex, httpStatus: answer.statusCode, reason: 'malformed' },
		);
	}
	const file = await downloadFile.call(this, link, {
		timeout: settings.timeout,
		itemIndex: settings.itemIndex,
		retryOnServerErrors: settings.retryOnServerErrors,
		maxBytes,
	});
	return { ...file, announcedSize };
}
