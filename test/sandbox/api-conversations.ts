/**
 * SalesIQ REST API v2 conversation routes: one conversation, its messages, one of its files, and
 * the custom-info update. Ids are the long conversation ids; `reference_id` is the v1 chat id.
 */
import { fileHeaders, type DownloadLinks } from './api-v1';
import { mergeCustomerInfo, messagesOf, conversationOf, recordOfConversation } from './conversations';
import type { ChatRecord, Dataset } from './data';
import type { ApiRoute, Reply, RouteContext } from './http';
import type { Variants } from './variants';
import { ApiError, badJsonKey, intParam, json, limitParam, MESSAGES } from './http';

const MESSAGES_LIMIT_DEFAULT = 20;
/** Zoho documents no maximum; the sandbox clamps at this. */
const MESSAGES_LIMIT_MAX = 100;

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

export function conversationRoutes(dataset: Dataset, downloads: DownloadLinks, variants: Variants): ApiRoute[] {
	const one = (path: string, data: unknown): Reply => json(200, { url: path, object: 'conversations', data });

	const get = ({ path, params }: RouteContext) => one(path, conversationOf(dataset, recordOf(dataset, params[0])));

	/**
	 * With `to_time` the page holds the newest messages at or before it, newest first. Without it,
	 * the oldest messages at or after `from_time` (or the first ones), oldest first. Both bounds are
	 * inclusive; with `v2-to-time=exclusive`, `to_time` is not.
	 */
	const messages = ({ path, params, query }: RouteContext): Reply => {
		const record = recordOf(dataset, params[0]);
		const limit = limitParam(query, MESSAGES_LIMIT_DEFAULT, MESSAGES_LIMIT_MAX);
		const from = intParam(query, 'from_time') ?? 0;
		const given = intParam(query, 'to_time');
		const to = given !== undefined && variants['v2-to-time'] === 'exclusive' ? given - 1 : given;
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
		// Zoho does not document this answer: the file itself (default), or its download link.
		const form = variants['v2-attachment'];
		if (form === 'redirect') return { status: 302, headers: { location: downloads.url(baseUrl, info) } };
		if (form === 'link') return json(200, { url: path, object: 'attachment', data: { 'content-length': info.size, download_url: downloads.url(baseUrl, info) } });
		return { status: 200, headers: fileHeaders(info), body: info.bytes };
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
