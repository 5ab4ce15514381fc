import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shown, transportError } from '../../transport/errors';
import { DEFAULT_MAX_FILE_MB, safeFileName } from '../../transport/download';
import { downloadFile } from '../../transport/fileHosts';
import type { DownloadedFile } from '../../transport/download';
import { toMs } from '../../shared/values';
import type { Endpoint } from '../../transport/types';
import { CHAT_ID_METHODS, readChatRef } from '../chatRef';
import { CONVERSATION_FILE, fetchConversationFile } from './conversationFile';
import { attachmentPathParts, parseAttachmentRef, validateBinaryPropertyName } from '../validation';
import { chatIdField, requestOptionsCollection } from '../fields';
import { apiRequest, expectObject, readRequestSettings, type RequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { attachmentOf, transcriptPages, type AttachmentInfo, TRANSCRIPT } from '../transcript/entries';

export const option = {
	name: 'Download',
	description: 'Download a file shared in a chat as binary data',
	action: 'Download an attachment',
	toolDescription:
		'Downloads one file shared in a Zoho SalesIQ chat, as binary data. Inputs: the chat ID or conversation ID, and the attachment as its url or fileId from the attachment list. Returns fileName, mimeType and fileSize with the file.',
};

export const endpoints = {
	/** The file's temporary download link; the file itself is then fetched without the token. */
	attachment: {
		method: 'GET',
		version: 'v1',
		path: '/chats/{chatId}/attachments/{folder}/{fileId}',
		scope: 'SalesIQ.chatdetails.READ',
	},
	/** With a bare file id, the transcript is searched for the file's path. */
	transcript: TRANSCRIPT,
	/** A conversation's file (v2): the file, or where to fetch it without the token. */
	conversationFile: CONVERSATION_FILE,
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	chatIdField('The chat the file was shared in: its chat_id, or the conversation_id (or reference_id) from the trigger'),
	{
		displayName: 'Attachment',
		name: 'attachmentUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: '/attachments/2285371690226238428/A_1461321096778',
		description: 'The attachment path from Attachment > Get Many (the URL field of its output), or its file ID such as A_1461321096778',
		hint: 'With a file ID the node first looks the file up in the chat’s transcript',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description: 'The name of the output binary field to put the file in',
	},
	requestOptionsCollection(true, [
		{
			displayName: 'Max File Size (MB)',
			name: 'maxFileSizeMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10240 },
			default: DEFAULT_MAX_FILE_MB,
			description: 'Largest file to download, in megabytes. A larger file fails the item instead of filling the memory of n8n.',
		},
	]),
];

export const methods = CHAT_ID_METHODS;


/** The Max File Size option of an item's Options collection, in bytes. */
function maxFileBytes(this: IExecuteFunctions, itemIndex: number, options: IDataObject): number {
	const raw = options.maxFileSizeMb;
	if (raw === undefined || raw === null || raw === '') return DEFAULT_MAX_FILE_MB * 1024 * 1024;
	const mb = Number(raw);
	if (!Number.isFinite(mb) || mb <= 0 || mb > 10240) {
		throw new NodeOperationError(this.getNode(), `Max File Size (MB) must be a number from 1 to 10240 (got ${shown(String(raw), 30)})`, { itemIndex });
	}
	return Math.round(mb * 1024 * 1024);
}

/** Finds a file in the chat's transcript by file id. */
async function findInTranscript(
	this: IExecuteFunctions,
	settings: RequestSettings,
	chatId: string,
	fileId: string,
): Promise<AttachmentInfo | undefined> {
	for await (const page of transcriptPages.call(this, settings, chatId)) {
		for (const entry of page) {
			const attachment = attachmentOf(entry);
			if (attachment?.fileId === fileId) return attachment;
		}
	}
	return undefined;
}

/** The file name from Content-Disposition (filename* first), if any. */
function fileNameFromHeaders(headers: Record<string, unknown>): string | undefined {
	const raw = headers['content-disposition'];
	const value = Array.isArray(raw) ? String(raw[0]) : typeof raw === 'string' ? raw : '';
	const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)?''([^;]+)/.exec(value);
	if (extended) {
		try {
			return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
		} catch {
			return undefined;
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(value);
	return plain ? (plain[2] ?? plain[1]).trim() || undefined : undefined;
}

function mimeFromHeaders(headers: Record<string, unknown>): string | undefined {
	const raw = headers['content-type'];
	const value = (Array.isArray(raw) ? String(raw[0]) : typeof raw === 'string' ? raw : '').split(';')[0].trim();
	return value && value !== 'application/octet-stream' ? value : undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const chat = readChatRef.call(this, itemIndex);
	const chatId = chat.id;
	const ref = parseAttachmentRef(this, this.getNodeParameter('attachmentUrl', itemIndex), itemIndex);
	const binaryPropertyName = validateBinaryPropertyName(this, this.getNodeParameter('binaryPropertyName', itemIndex, 'data'), itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = readRequestSettings.call(this, itemIndex, options);

	if (chat.kind === 'conversation') {
		// v2 names a file by its id alone; a v1 path of the same file gives that id too.
		const file = await fetchConversationFile.call(this, settings, chatId, ref.fileId, maxFileBytes.call(this, itemIndex, options));
		return [await fileItem.call(this, file, file.announcedSize, { chatId, fileId: ref.fileId, url: `/attachments/${ref.fileId}`, binaryPropertyName, itemIndex })];
	}

	let info: AttachmentInfo | undefined;
	let path = ref.path;
	if (!path) {
		info = await findInTranscript.call(this, settings, chatId, ref.fileId);
		if (!info || !attachmentPathParts(info.url)) {
			throw transportError(
				this.getNode(),
				`No attachment with file ID "${ref.fileId}" in chat ${chatId}`,
				'Use Attachment > Get Many on the same chat and pass its url or file ID.',
				{ itemIndex, reason: 'not-found' },
			);
		}
		path = info.url;
	}
	const { folder, fileId } = attachmentPathParts(path)!;

	const data = expectObject.call(
		this,
		await apiRequest.call(this, settings, endpoints.attachment, { params: { chatId, folder, fileId } }),
		'attachment answer',
		itemIndex,
	);
	const downloadUrl = typeof data.download_url === 'string' ? data.download_url : '';
	const response = await downloadFile.call(this, downloadUrl, {
		timeout: settings.timeout,
		itemIndex,
		retryOnServerErrors: settings.retryOnServerErrors,
		maxBytes: maxFileBytes.call(this, itemIndex, options),
	});
	return [await fileItem.call(this, response, toMs(data['content-length']), { chatId, fileId, url: path, info, binaryPropertyName, itemIndex })];
}

/** The output item of a downloaded file, after checking that the whole file arrived. */
async function fileItem(
	this: IExecuteFunctions,
	response: DownloadedFile,
	expected: number | undefined,
	target: { chatId: string; fileId: string; url: string; info?: AttachmentInfo; binaryPropertyName: string; itemIndex: number },
): Promise<OperationItem> {
	const { chatId, fileId, info, itemIndex } = target;
	if (response.statusCode !== 200) {
		throw transportError(
			this.getNode(),
			`Downloading the attachment failed with HTTP ${response.statusCode}`,
			'Download links are temporary; run the node again to get a fresh one.',
			{
				itemIndex,
				httpStatus: response.statusCode,
				reason: 'download',
				note: response.attempts > 1 ? `The node tried ${response.attempts} times.` : undefined,
			},
		);
	}
	if (expected !== undefined && expected > 0 && expected !== response.body.length) {
		throw transportError(
			this.getNode(),
			`The attachment download was incomplete (${response.body.length} of ${expected} bytes)`,
			'Run the node again.',
			{ itemIndex, reason: 'download' },
		);
	}

	const fileName = safeFileName(fileNameFromHeaders(response.headers)) ?? safeFileName(info?.name) ?? fileId;
	const mimeType = mimeFromHeaders(response.headers) ?? info?.mimeType ?? 'application/octet-stream';
	const binary = await this.helpers.prepareBinaryData(response.body, fileName, mimeType);
	const json: IDataObject = {
		chatId,
		fileId,
		fileName,
		mimeType,
		fileSize: response.body.length,
		url: target.url,
	};
	return { json, binary: { [target.binaryPropertyName]: binary } };
}
