/**
 * SalesIQ REST API v2 conversation routes: one conversation, its messages, one of its files, and
 * the custom-info update. Ids are the long conversation ids; `reference_id` is the v1 chat id.
 */
import type { DownloadLinks } from './api-v1';
import { mergeCustomerInfo, messagesOf, conversationOf, recordOfConversation } from './conversations';
import type { ChatRecord, Dataset } from './data';
import type { ApiRoute, Reply, RouteContext } from './http';
import { ApiError, badJsonKey, intParam, json, limitParam, MESSAGES } from './http';

const MESSAGES_LIMIT_DEFAULT = 20;
/** Zoho documents no maximum; the sandbox clamps at this. */
const MESSAGES_LIMIT_MAX = 100;

/**
 * How `GET .../attachments/{id}` answers, which Zoho does not document: the file's bytes, a 302 to
 * a public download link, or JSON whose `data.download_url` is that link.
 */
export type AttachmentForm = 'bytes' | 'redirect' | 'link';
export const ATTACHMENT_FORMS: readonly AttachmentForm[] = ['bytes', 'redirect', 'link'];

export interface ConversationRouteOptions {
	/** Read on every request, so a test can switch it while the sandbox runs. */
	attachmentForm: () => AttachmentForm;
}

function invalidResource(): ApiError {
	return new ApiError(404, 1019, MESSAGES[1019]);
}

function recordOf(dataset: Dataset, id: string): ChatRecord {
	const record = recordOfConversation(dataset, id);
	if (!record) throw invalidResource();
	return record;
}

/** The `customer_info` object of a PUT body: string, number or boolean values, sent on as strings. */
function customerInfoOf(body: string): Record<string, string> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		throw new ApiError(400, 1015, MESSAGES[1015]);
	}
	const info = (parsed as { customer_info?: unknown } | null)?.customer_info;
	if (typeof info !== 'object' || info === null || Array.isArray(info)) throw badJsonKey('customer_info');
	const values: Record<string, string> = {};
	for (const [key, value] of Object.entries(info)) {
		if (!['string', 'number', 'boolean'].includes(typeof value)) throw badJsonKey(`customer_info.${key}`);
		values[key] = String(value);
	}
	return values;
}

export function conversationRoutes(dataset: Dataset, downloads: DownloadLinks, options: ConversationRouteOptions): ApiRoute[] {
	const one = (path: string, data: unknown): Reply => json(200, { url: path, object: 'conversations', data });

	const get = ({ path, params }: RouteContext) => one(path, conversationOf(dataset, recordOf(dataset, params[0])));

	/**
	 * With `to_time` the page holds the newest messages at or before it, newest first. Without it,
	 * the oldest messages at or after `from_time` (or the first ones), oldest first. Both bounds are
	 * inclusive.
	 */
	const messages = ({ path, params, query }: RouteContext): Reply => {
		const record = recordOf(dataset, params[0]);
		const limit = limitParam(query, MESSAGES_LIMIT_DEFAULT, MESSAGES_LIMIT_MAX);
		const from = intParam(query, 'from_time') ?? 0;
		const to = intParam(query, 'to_time');
		const { messages: all, times } = messagesOf(dataset, record);
		const page = [];
		if (to !== undefined) {
			for (let i = all.length - 1; i >= 0 && page.length < limit; i--) {
				if (times[i] <= to && times[i] >= from) page.push(all[i]);
			}
		} else {
			for (let i = 0; i < all.length && page.length < limit; i++) if (times[i] >= from) page.push(all[i]);
		}
		return json(200, { url: path, object: 'list', data: page });
	};

	const attachment = ({ path, params, baseUrl }: RouteContext): Reply => {
		const record = recordOf(dataset, params[0]);
		const info = dataset.transcript(record.chat.chat_id)?.attachments.find((a) => a.fileId === params[1]);
		if (!info) throw invalidResource();
		const form = options.attachmentForm();
		if (form === 'redirect') return { status: 302, headers: { location: `${baseUrl}/pubdownload/${downloads.create(info)}` } };
		if (form === 'link') {
			const link = `${baseUrl}/pubdownload/${downloads.create(info)}`;
			return json(200, { url: path, object: 'attachment', data: { 'content-length': info.size, download_url: link } });
		}
		const fallbackName = info.fName.replace(/[^\x20-\x7e]|"/g, '_');
		return {
			status: 200,
			headers: {
				'content-type': info.content,
				'content-disposition': `attachment; filename="${fallbackName}"; filename*=UTF-8''${encodeURIComponent(info.fName)}`,
			},
			body: info.bytes,
		};
	};

	const update = ({ path, params, body }: RouteContext): Reply => {
		const values = customerInfoOf(body);
		const record = recordOf(dataset, params[0]);
		mergeCustomerInfo(record, values);
		return one(path, conversationOf(dataset, record));
	};

	const v2 = (rest: string) => new RegExp(`^/api/v2/([^/]+)/conversations/([^/]+)${rest}$`);
	const read = 'SalesIQ.conversations.READ';
	return [
		{ method: 'GET', pattern: v2(''), screen: true, scope: read, handler: get },
		{ method: 'PUT', pattern: v2(''), screen: true, scope: 'SalesIQ.conversations.UPDATE', handler: update },
		{ method: 'GET', pattern: v2('/messages'), screen: true, scope: read, handler: messages },
		{ method: 'GET', pattern: v2('/attachments/([^/]+)'), screen: true, scope: read, handler: attachment },
	];
}
