/**
 * SalesIQ REST API v1 (`/api/v1/{screen}/...`) as described in docs/ZOHO-API.md (Envelopes, Paging, Write operations),
 * plus the public `/pubdownload/<id>` links that the attachment call hands out.
 */
import { randomUUID } from 'node:crypto';
import type { AttachmentInfo, Dataset, Transcript, Visitor } from './data';
import type { ApiRoute, Reply, RouteContext } from './http';
import { ApiError, badParam, formParams, intParam, json, JSON_TYPE, limitParam, MESSAGES } from './http';
import type { Variants } from './variants';
import { attachmentEntry, timeBounds, writeReply } from './variants';

const CHAT_LIMIT_DEFAULT = 50;
const TRANSCRIPT_LIMIT_DEFAULT = 50;
const LIMIT_MAX = 100;
const VISITORS_PER_PAGE = 100;
/** Download links are temporary, like Zoho's. */
export const DOWNLOAD_LINK_TTL_MS = 300_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface PushNotification {
	mode: 'send' | 'clear';
	email: string;
	title?: string;
	message?: string;
	badgecount: number;
	bundleids: string[];
	addinfo?: Record<string, unknown>;
	time: number;
}

function notFound(code: number, message: string): ApiError {
	return new ApiError(404, code, message);
}

/** Path of a download link on the file host (the `file-domain` and `redirect` variants). */
export const FILE_HOST_PREFIX = '/public/salesiq/';

/** Public, token-free download links for attachment bytes. */
/** `Content-Type` and `Content-Disposition` (with the UTF-8 name) of a file answer. */
export function fileHeaders(info: AttachmentInfo): Record<string, string> {
	const fallbackName = info.fName.replace(/[^\x20-\x7e]|"/g, '_');
	return {
		'content-type': info.content,
		'content-disposition': `attachment; filename="${fallbackName}"; filename*=UTF-8''${encodeURIComponent(info.fName)}`,
	};
}

export class DownloadLinks {
	private readonly links = new Map<string, { info: AttachmentInfo; expiresAt: number }>();

	constructor(
		private readonly now: () => number,
		private readonly variants: Variants,
		private readonly filesUrl: () => string,
	) {}

	/** The `download_url` for a new link: on the API host, or on the file host with `files=file-domain`. */
	url(baseUrl: string, info: AttachmentInfo): string {
		const id = this.create(info);
		return this.variants.files === 'file-domain' ? `${this.filesUrl()}${FILE_HOST_PREFIX}${id}` : `${baseUrl}/pubdownload/${id}`;
	}

	create(info: AttachmentInfo): string {
		const now = this.now();
		if (this.links.size > 10_000) {
			for (const [id, link] of this.links) if (link.expiresAt <= now) this.links.delete(id);
		}
		const id = randomUUID();
		this.links.set(id, { info, expiresAt: now + DOWNLOAD_LINK_TTL_MS });
		return id;
	}

	/**
	 * Serves `/pubdownload/<id>` on the API host and `/public/salesiq/<id>` on the file host; unknown
	 * or expired links answer 404. With `files=redirect` the API host answers 302 to the file host.
	 */
	serve(method: string, id: string, onFileHost = false): Reply {
		if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { allow: 'GET, HEAD' }, body: 'Method Not Allowed' };
		if (!onFileHost && this.variants.files === 'redirect' && this.links.has(id)) {
			return { status: 302, headers: { location: `${this.filesUrl()}${FILE_HOST_PREFIX}${id}` } };
		}
		const link = this.links.get(id);
		if (!link || link.expiresAt <= this.now()) {
			return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'File not found or link expired' };
		}
		const bytes = link.info.bytes;
		return {
			status: 200,
			headers: {
				...fileHeaders(link.info),
				...(method === 'HEAD' ? { 'content-length': String(bytes.length) } : {}),
			},
			body: method === 'HEAD' ? undefined : bytes,
		};
	}
}

export function v1Routes(
	dataset: Dataset,
	downloads: DownloadLinks,
	notifications: PushNotification[],
	variants: Variants,
	now: () => number,
): ApiRoute[] {
	const chatsList = ({ query }: RouteContext): Reply => {
		const limit = limitParam(query, CHAT_LIMIT_DEFAULT, LIMIT_MAX);
		const [lower, upper] = timeBounds(variants, intParam(query, 'fromtime'), intParam(query, 'totime'));
		const [start, end] = dataset.chatRange(lower, upper);
		const body = `{"data":${dataset.chatsJson(start, Math.min(end, start + limit))}}`;
		return { status: 200, headers: { 'content-type': JSON_TYPE }, body };
	};

	const chatInfo = ({ params }: RouteContext): Reply => {
		const chat = dataset.chatById(params[0]);
		if (!chat) throw notFound(2021, 'Invalid chat_id');
		return json(200, { data: chat });
	};

	const transcript = ({ params, query }: RouteContext): Reply => {
		const record = dataset.chatRecord(params[0]);
		if (!record) throw notFound(2031, 'Invalid chat_id');
		if (record.missed) throw notFound(2032, 'No Chat Transcript Available : Missed Chat');
		const limit = limitParam(query, TRANSCRIPT_LIMIT_DEFAULT, LIMIT_MAX);
		const [lower, upper] = timeBounds(variants, intParam(query, 'fromtime'), intParam(query, 'totime'));
		const fromTime = lower ?? 0;
		const toTime = upper ?? Number.MAX_SAFE_INTEGER;
		const { entries, times } = dataset.transcript(params[0]) as Transcript;
		let lo = 0;
		let hi = times.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (times[mid] < fromTime) lo = mid + 1;
			else hi = mid;
		}
		const page = [];
		for (let i = lo; i < entries.length && page.length < limit && times[i] <= toTime; i++) page.push(attachmentEntry(variants, entries[i]));
		return json(200, { data: page });
	};

	const attachment = ({ params, baseUrl }: RouteContext): Reply => {
		const [chatId, folder, fileId] = params;
		const record = dataset.chatRecord(chatId);
		if (!record) throw notFound(2041, 'Invalid chat_id');
		const files = record.missed ? [] : (dataset.transcript(chatId)?.attachments ?? []);
		if (files.length === 0) throw notFound(2042, 'No Attachments available for this chat');
		const info = files.find((f) => f.url === `/attachments/${folder}/${fileId}`);
		if (!info) throw notFound(2043, 'File Not Found');
		return json(200, { data: { 'content-length': info.size, download_url: downloads.url(baseUrl, info) } });
	};

	const visitors = ({ params, query }: RouteContext): Reply => {
		const list = dataset.visitorsInView(params[0]);
		if (!list) throw badParam('viewid');
		const offset = startOffset(list, query.get('startkey'));
		const data: { startkey?: string; visitorlist: Visitor[] } = { visitorlist: [] };
		const next = offset + VISITORS_PER_PAGE;
		if (next < list.length) data.startkey = `${list[next].id}-${next + 1}`;
		data.visitorlist = list.slice(offset, next);
		return json(200, { data });
	};

	const updateVisitor = ({ params, query, req, body }: RouteContext): Reply => {
		if (req.method === 'PUT' && variants['visitor-update'] === 'post-only') throw new ApiError(405, 1004, MESSAGES[1004]);
		const raw = formParams(query, req, body).get('customerinfo');
		if (raw === null) throw badParam('customerinfo');
		let parsed: unknown;
		try {
			parsed = JSON.parse(raw);
		} catch {
			throw badParam('customerinfo');
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badParam('customerinfo');
		const values: Record<string, string> = {};
		for (const [key, value] of Object.entries(parsed)) {
			if (!['string', 'number', 'boolean'].includes(typeof value)) throw badParam('customerinfo');
			values[key] = String(value);
		}
		const visitor = dataset.visitorByEmail(params[0]);
		if (!visitor) throw notFound(2311, 'No Visitor found');
		Object.assign(visitor.customer_info, values);
		return writeReply(variants, json(200, { data: visitor.email }));
	};

	const push = ({ query, req, body }: RouteContext): Reply => {
		const params = formParams(query, req, body);
		const email = params.get('email');
		if (!email || !EMAIL.test(email)) throw badParam('email');
		const badge = params.get('badgecount');
		if (badge === null || !/^\d{1,6}$/.test(badge)) throw badParam('badgecount');
		const title = params.get('title');
		const message = params.get('message');
		const clear = Number(badge) === 0 && title === null && message === null;
		if (!clear && !title) throw badParam('title');
		if (!clear && !message) throw badParam('message');
		const bundleids = (params.get('bundleids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
		if (bundleids.length === 0) throw badParam('bundleids');
		const notification: PushNotification = { mode: clear ? 'clear' : 'send', email, badgecount: Number(badge), bundleids, time: now() };
		if (!clear) {
			notification.title = title as string;
			notification.message = message as string;
		}
		const addinfo = params.get('addinfo');
		if (addinfo !== null) {
			let parsed: unknown;
			try {
				parsed = JSON.parse(addinfo);
			} catch {
				throw badParam('addinfo');
			}
			if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badParam('addinfo');
			notification.addinfo = parsed as Record<string, unknown>;
		}
		notifications.push(notification);
		return writeReply(variants, json(200, { data: 'success' }));
	};

	const v1 = (rest: string) => new RegExp(`^/api/v1/([^/]+)${rest}$`);
	return [
		{ method: 'GET', pattern: v1('/chats'), screen: true, scope: 'SalesIQ.chatdetails.READ', handler: chatsList },
		{ method: 'GET', pattern: v1('/chats/([^/]+)'), screen: true, scope: 'SalesIQ.chatdetails.READ', handler: chatInfo },
		{ method: 'GET', pattern: v1('/chats/([^/]+)/transcript'), screen: true, scope: 'SalesIQ.chattranscript.READ', handler: transcript },
		{
			method: 'GET',
			pattern: v1('/chats/([^/]+)/attachments/([^/]+)/([^/]+)'),
			screen: true,
			scope: 'SalesIQ.chatdetails.READ',
			handler: attachment,
		},
		{ method: 'GET', pattern: v1('/visitorsview/([^/]+)/visitors'), screen: true, scope: 'SalesIQ.visitordetails.READ', handler: visitors },
		{ method: 'PUT', pattern: v1('/visitorsbyemail/([^/]+)'), screen: true, scope: 'SalesIQ.visitordetails.UPDATE', handler: updateVisitor },
		{ method: 'POST', pattern: v1('/visitorsbyemail/([^/]+)'), screen: true, scope: 'SalesIQ.visitordetails.UPDATE', handler: updateVisitor },
		{ method: 'POST', pattern: v1('/pushnotification'), screen: true, scope: 'SalesIQ.PushNotifications.UPDATE', handler: push },
	];
}

/** `startkey` is `<visitor id>-<1-based position>`; the id wins if the list moved. */
function startOffset(list: readonly Visitor[], startkey: string | null): number {
	if (startkey === null) return 0;
	const match = /^(\d+)-(\d+)$/.exec(startkey);
	if (!match) throw badParam('startkey');
	const position = Number(match[2]) - 1;
	if (list[position]?.id === match[1]) return position;
	const index = list.findIndex((v) => v.id === match[1]);
	if (index < 0) throw badParam('startkey');
	return index;
}
