/**
 * v2 webhook subscriptions: validation, the HEAD check on the subscriber URL, RSA keys, and signed
 * event delivery (docs/ZOHO-API.md, Webhook subscriptions and deliveries).
 */
import { generateKeyPair, sign } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { conversationIdOf, conversationVisitorIdOf } from './conversations';
import type { ChatRecord, Dataset } from './data';
import { ApiError, badJsonKey, MESSAGES } from './http';
import { mix, Random } from './random';
import type { Variants } from './variants';
import { deliveryText, keyText } from './variants';

/** The 15 conversation events a data webhook may subscribe to (section 6.3). */
export const CONVERSATION_EVENTS = [
	'conversation.created',
	'conversation.attender.updated',
	'conversation.missed',
	'conversation.operator.replied',
	'conversation.visitor.replied',
	'conversation.completed',
	'conversation.rated',
	'conversation.transfer.initiated',
	'conversation.transfer.accepted',
	'conversation.transfer.rejected',
	'conversation.participants.added',
	'conversation.participants.deleted',
	'conversation.supervisor.added',
	'conversation.message.edited',
	'conversation.message.deleted',
];

/** Events an administration webhook may subscribe to. */
export const ADMINISTRATION_EVENTS = [
	'operator.created', 'operator.updated', 'operator.deleted',
	'operator.departments.associated', 'operator.departments.dissociated',
	'department.created', 'department.updated', 'department.deleted',
	'brands.enabled', 'brands.disabled',
	'tag.created', 'tag.updated', 'tag.deleted',
];

const HEAD_TIMEOUT_MS = 5_000;
const DELIVERY_TIMEOUT_MS = 10_000;
const WEEK = 7 * 86_400_000;
const DEFAULT_EXPIRY = 60 * 86_400_000;
/** A webhook holds at most this many public keys; SalesIQ signs with the oldest. */
export const MAX_WEBHOOK_KEYS = 2;

export interface Webhook {
	id: string;
	type: 'data' | 'administration';
	url: string;
	events: string[];
	app_ids: string[];
	secured: boolean;
	version: string;
	/** 'inactive' after a subscriber answered 410; inactive webhooks get no deliveries. */
	status: 'active' | 'inactive';
	expiry_time_for_executions_data: number;
	created_time: string;
	modified_time: string;
	/** The webhook's public keys, oldest first (the documented shape of the keys answer). */
	public_keys: WebhookKey[];
}

export interface WebhookKey {
	/** Key text: a PEM block, or bare Base64 DER with the `key-format` variant. */
	key: string;
	creator: { id: string };
	created_time: string;
	id: string;
}

export interface DeliverOptions {
	/** Only this webhook (it must still be subscribed to the event). Default: every subscriber. */
	webhookId?: string;
	event: string;
	/** The `entity` object as sent; default: built from `chatId` or the newest chat. */
	entity?: Record<string, unknown>;
	chatId?: string;
	/** Default 1. */
	attempt?: number;
	/** Default: the webhook's `secured` flag. `true` signs even an unsecured webhook, `false` never signs. */
	signed?: boolean;
	/** Changes the body after signing, so the signature no longer matches. */
	tamper?: boolean;
	/** Redeliveries (with attempt + 1) after a non-2xx answer or a network error; default 0. */
	retries?: number;
	/** When the event happened (ms); default: now; null leaves event_time out. Redeliveries keep it, as the event itself does not change. */
	eventTime?: number | null;
	/**
	 * Send to this URL instead of the subscription's, as a load balancer in front of several receivers
	 * would (e.g. one of n8n's webhook processors). The body and signature are the subscription's.
	 */
	url?: string;
}

export interface DeliveryAttempt {
	attempt: number;
	/** HTTP status, or 0 when the request failed (see `error`). */
	status: number;
	error?: string;
	body: string;
}

export interface DeliveryResult {
	webhookId: string;
	url: string;
	/** Status of the last attempt. */
	status: number;
	attempts: DeliveryAttempt[];
}

export interface DeliveryRecord {
	webhookId: string;
	url: string;
	event: string;
	attempt: number;
	headers: Record<string, string>;
	body: string;
	status: number;
	error?: string;
	time: number;
}

interface KeyPair {
	record: WebhookKey;
	privateKey: string;
}

interface Stored {
	hook: Omit<Webhook, 'public_keys'>;
	/** Oldest first. */
	keys: KeyPair[];
	/** A key being generated, so concurrent calls wait for the same one. */
	generating?: Promise<KeyPair>;
}

function send(
	url: string,
	method: string,
	headers: Record<string, string>,
	body: string | undefined,
	timeoutMs: number,
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const target = new URL(url);
		const client = target.protocol === 'https:' ? https : http;
		// No keep-alive agent: a pooled socket would outlive the delivery and keep processes alive.
		const req = client.request(target, { method, headers, timeout: timeoutMs, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end(body);
	});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class WebhookStore {
	private readonly hooks = new Map<string, Stored>();
	private readonly log: DeliveryRecord[] = [];
	private created = 0;
	private keysCreated = 0;

	constructor(
		private readonly dataset: Dataset,
		private readonly now: () => number,
		private readonly variants: Variants,
	) {}

	/** Every webhook with its keys. `answer`: as the API shows it (the `webhook-keys` variant may omit the keys). */
	list(answer = false): Webhook[] {
		return [...this.hooks.values()].map((s) => this.view(s, answer));
	}

	get(id: string, answer = false): Webhook {
		return this.view(this.stored(id), answer);
	}

	deliveries(): DeliveryRecord[] {
		return [...this.log];
	}

	async create(body: unknown): Promise<Webhook> {
		if (!isRecord(body)) throw new ApiError(400, 1015, MESSAGES[1015]);
		const type = body.type;
		if (type !== 'data' && type !== 'administration') throw badJsonKey('type');
		if (body.version === undefined) throw badJsonKey('version');
		const hook = this.validated(
			{
				id: '',
				type,
				url: '',
				events: [],
				app_ids: [],
				secured: false,
				version: '1',
				status: 'active',
				expiry_time_for_executions_data: DEFAULT_EXPIRY,
				created_time: '',
				modified_time: '',
			},
			body,
			true,
		);
		await this.checkUrl(hook.url);
		this.created++;
		hook.id = `${this.dataset.portal.id.slice(0, 5)}${String(120001 + this.created * 10).padStart(12, '0')}`;
		hook.created_time = hook.modified_time = String(this.now());
		const stored: Stored = { hook, keys: [] };
		this.hooks.set(hook.id, stored);
		return this.view(stored, true);
	}

	/** PUT: given fields replace the stored ones (lists included); a new URL is HEAD-checked again. */
	async update(id: string, body: unknown): Promise<Webhook> {
		const stored = this.stored(id);
		if (!isRecord(body)) throw new ApiError(400, 1015, MESSAGES[1015]);
		if (body.type !== undefined && body.type !== stored.hook.type) throw badJsonKey('type');
		const next = this.validated(structuredClone(stored.hook), body, false);
		if (next.url !== stored.hook.url) await this.checkUrl(next.url);
		next.status = 'active';
		next.modified_time = String(this.now());
		stored.hook = next;
		return this.view(stored, true);
	}

	delete(id: string): void {
		this.stored(id);
		this.hooks.delete(id);
	}

	/**
	 * Adds a public key (POST .../keys) and answers the whole webhook, keys included, as Zoho's
	 * sample shows. A webhook holds at most two keys; a third is refused with 1017.
	 */
	async addKey(id: string): Promise<Webhook> {
		const stored = this.stored(id);
		if (stored.generating) await stored.generating;
		if (stored.keys.length >= MAX_WEBHOOK_KEYS) {
			throw new ApiError(400, 1017, `A webhook holds at most ${MAX_WEBHOOK_KEYS} public keys`);
		}
		await this.generateKey(stored);
		stored.hook.secured = true;
		return this.view(stored, false);
	}

	async deleteKey(id: string, keyId: string): Promise<void> {
		const stored = this.stored(id);
		if (stored.generating) await stored.generating;
		const index = stored.keys.findIndex((pair) => pair.record.id === keyId);
		if (index < 0) throw new ApiError(404, 1019, MESSAGES[1019]);
		stored.keys.splice(index, 1);
	}

	async deliver(options: DeliverOptions): Promise<DeliveryResult[]> {
		if (typeof options.event !== 'string' || options.event === '') throw new Error('deliverEvent needs an event name');
		if (options.webhookId !== undefined && !this.hooks.has(options.webhookId)) {
			throw new Error(`unknown webhook ${options.webhookId}`);
		}
		const entity = options.entity ?? this.entityFor(options.event, options.chatId);
		const appId = String(entity.app_id ?? this.dataset.apps[0].id);
		const targets = [...this.hooks.values()].filter(({ hook }) => {
			if (options.webhookId !== undefined && hook.id !== options.webhookId) return false;
			if (hook.status !== 'active' || !hook.events.includes(options.event)) return false;
			return hook.type !== 'data' || hook.app_ids.length === 0 || hook.app_ids.includes(appId);
		});
		return Promise.all(targets.map((stored) => this.deliverTo(stored, options, entity, appId)));
	}

	private async deliverTo(
		stored: Stored,
		options: DeliverOptions,
		entity: Record<string, unknown>,
		appId: string,
	): Promise<DeliveryResult> {
		const hook = stored.hook;
		const attempts: DeliveryAttempt[] = [];
		let attempt = options.attempt ?? 1;
		const eventTime = String(options.eventTime ?? this.now());
		for (let round = 0; round <= (options.retries ?? 0); round++, attempt++) {
			const payload = {
				entity_type: options.event.split('.')[0],
				webhook: { id: hook.id },
				org_id: this.dataset.portal.org_id,
				event: options.event,
				entity_id: String(entity.id ?? ''),
				attempt,
				version: hook.version,
				app_id: appId,
				event_time: eventTime,
				entity,
			};
			if (options.eventTime === null) delete (payload as { event_time?: string }).event_time;
			let body = deliveryText(this.variants, payload);
			const headers: Record<string, string> = { 'content-type': 'application/json' };
			if (options.signed ?? hook.secured) {
				const pair = await this.signingKey(stored);
				headers['x-siqsignature'] = sign('sha256', Buffer.from(body, 'utf8'), pair.privateKey).toString('base64');
			}
			if (options.tamper) body = deliveryText(this.variants, { ...payload, event_time: String(Number(payload.event_time) + 1) });
			const result: DeliveryAttempt = { attempt, status: 0, body: '' };
			try {
				const answer = await send(options.url ?? hook.url, 'POST', headers, body, DELIVERY_TIMEOUT_MS);
				result.status = answer.status;
				result.body = answer.body;
			} catch (error) {
				result.error = (error as Error).message;
			}
			attempts.push(result);
			this.log.push({
				webhookId: hook.id,
				url: options.url ?? hook.url,
				event: options.event,
				attempt,
				headers,
				body,
				status: result.status,
				error: result.error,
				time: this.now(),
			});
			// A 410 is documented to deactivate a webhook immediately.
			if (result.status === 410) hook.status = 'inactive';
			if ((result.status >= 200 && result.status < 300) || result.status === 410) break;
		}
		return { webhookId: hook.id, url: hook.url, status: attempts[attempts.length - 1].status, attempts };
	}

	private stored(id: string): Stored {
		const stored = this.hooks.get(id);
		if (!stored) throw new ApiError(404, 1019, MESSAGES[1019]);
		return stored;
	}

	/** The webhook as the API answers it; `answer` applies the `webhook-keys` variant. */
	private view(stored: Stored, answer: boolean): Webhook {
		const hook = structuredClone(stored.hook) as Webhook;
		if (answer && this.variants['webhook-keys'] === 'omitted') return hook;
		hook.public_keys = stored.keys.map((pair) => structuredClone(pair.record));
		return hook;
	}

	/** SalesIQ signs with the oldest key; a signed delivery to a webhook without keys makes one. */
	private async signingKey(stored: Stored): Promise<KeyPair> {
		if (stored.generating) await stored.generating;
		return stored.keys[0] ?? this.generateKey(stored);
	}

	/** A new RSA key pair, generated asynchronously so the event loop keeps serving. */
	private generateKey(stored: Stored): Promise<KeyPair> {
		this.keysCreated++;
		const id = `${this.dataset.portal.id.slice(0, 5)}${String(130001 + this.keysCreated * 10).padStart(12, '0')}`;
		const generating = new Promise<KeyPair>((resolve, reject) => {
			generateKeyPair(
				'rsa',
				{
					modulusLength: 2048,
					publicKeyEncoding: { type: 'spki', format: 'pem' },
					privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
				},
				(error, publicKey, privateKey) => {
					if (error) return reject(error);
					const record: WebhookKey = {
						key: keyText(this.variants, publicKey),
						creator: { id: this.dataset.portal.owner.operator_id },
						created_time: String(this.now()),
						id,
					};
					const pair = { record, privateKey };
					stored.keys.push(pair);
					resolve(pair);
				},
			);
		}).finally(() => {
			if (stored.generating === generating) stored.generating = undefined;
		});
		stored.generating = generating;
		return generating;
	}

	/** Checks the fields present in `body` and writes them into `hook`; `creating` makes url and events required. */
	private validated(hook: Omit<Webhook, 'public_keys'>, body: Record<string, unknown>, creating: boolean): Omit<Webhook, 'public_keys'> {
		if (creating || body.url !== undefined) {
			const url = body.url;
			let valid = false;
			if (typeof url === 'string') {
				try {
					valid = ['http:', 'https:'].includes(new URL(url).protocol);
				} catch {
					valid = false;
				}
			}
			if (!valid) throw badJsonKey('url');
			hook.url = url as string;
		}
		if (creating || body.events !== undefined) {
			const allowed = hook.type === 'data' ? CONVERSATION_EVENTS : ADMINISTRATION_EVENTS;
			if (!Array.isArray(body.events) || body.events.length === 0) throw badJsonKey('events');
			body.events.forEach((event, i) => {
				if (typeof event !== 'string' || !allowed.includes(event)) throw badJsonKey(`events[${i}]`);
			});
			hook.events = [...new Set(body.events as string[])];
		}
		if (body.version !== undefined) {
			if (body.version !== '1' && body.version !== 1) throw badJsonKey('version');
			hook.version = '1';
		}
		if (body.app_ids !== undefined) {
			if (!Array.isArray(body.app_ids)) throw badJsonKey('app_ids');
			if (hook.type === 'administration' && body.app_ids.length > 0) throw badJsonKey('app_ids');
			const known = new Set(this.dataset.apps.map((a) => a.id));
			body.app_ids.forEach((appId, i) => {
				if (!known.has(String(appId))) throw badJsonKey(`app_ids[${i}]`);
			});
			hook.app_ids = [...new Set(body.app_ids.map(String))];
		}
		if (body.secured !== undefined) {
			if (typeof body.secured !== 'boolean') throw badJsonKey('secured');
			hook.secured = body.secured;
		}
		const expiry = body.expiry_time_for_executions_data;
		if (expiry !== undefined) {
			const ms = Number(expiry);
			if (!Number.isInteger(ms) || ms < WEEK || ms > DEFAULT_EXPIRY) throw badJsonKey('expiry_time_for_executions_data');
			hook.expiry_time_for_executions_data = ms;
		}
		return hook;
	}

	/** SalesIQ sends HEAD to a new webhook URL and accepts it only on 200. */
	private async checkUrl(url: string): Promise<void> {
		let status = 0;
		try {
			status = (await send(url, 'HEAD', {}, undefined, HEAD_TIMEOUT_MS)).status;
		} catch {
			status = 0;
		}
		if (status !== 200) throw badJsonKey('url');
	}

	/** A realistic event entity for a dataset chat (section 8.4); admin events get a small operator entity. */
	private entityFor(event: string, chatId?: string): Record<string, unknown> {
		const { dataset } = this;
		if (!event.startsWith('conversation.')) {
			const operator = dataset.operators[0];
			return { id: operator.id, name: operator.name, email_id: operator.email, role: operator.role };
		}
		const record: ChatRecord | undefined = chatId !== undefined ? dataset.chatRecord(chatId) : dataset.chatRecord(dataset.chats[0]?.chat_id ?? '');
		if (!record) throw new Error(chatId !== undefined ? `unknown chat ${chatId}` : 'the dataset has no chats');
		const chat = record.chat;
		const rng = new Random(mix(record.seed, 11));
		const visitor = {
			id: conversationVisitorIdOf(dataset, record),
			name: chat.visitor_name,
			email_id: chat.visitor_email,
			phone: chat.visitor_phoneno,
			type: chat.visitor_email ? 'contact' : 'lead',
			channel: 'website',
		};
		const owner = record.operator && { id: record.operator.id, name: record.operator.name, email_id: record.operator.email };
		const id = conversationIdOf(dataset, record);
		if (event === 'conversation.rated') {
			return { id, rating: rng.int(1, 5), feedback: rng.pick(['Good support', 'Quick and helpful', 'Could be faster']), owner, visitor };
		}
		const [status, chatStatus] = ((): [string, Record<string, unknown>] => {
			if (event === 'conversation.created') return ['Live', { status_code: 0, state: 1, label: 'Live' }];
			if (event === 'conversation.missed') return ['Missed', { status_code: 2, state: 5, label: 'Missed' }];
			if (event === 'conversation.completed') return ['Closed', { status_code: 2, state: 4, label: 'Attended Online' }];
			return ['Connected', { status_code: 0, state: 2, label: 'Connected' }];
		})();
		const entity: Record<string, unknown> = {
			id,
			visitor_conversation_id: rng.hex(40),
			reference_id: chat.chat_id,
			opened_time: chat.chatinitiated_time,
			app_id: chat.embed_id,
			department_id: chat.department_id,
			visitor,
			question: chat.question,
			supervisors: chat.supervisor,
			participants: chat.participants,
			status,
			chat_status: chatStatus,
		};
		if (owner && event !== 'conversation.created') {
			entity.owner = owner;
			entity.attended_time = chat.pickup_time;
		}
		if (event === 'conversation.completed' && chat.end_time) entity.end_time = chat.end_time;
		if (event === 'conversation.missed') entity.missed_time = chat.missed_time ?? String(this.now());
		if (event === 'conversation.operator.replied' || event === 'conversation.visitor.replied') {
			const byOperator = event === 'conversation.operator.replied';
			entity.message = {
				msgid: `${chat.chatinitiated_time}_${rng.digits(12)}`,
				text: byOperator ? 'Let me look into that for you.' : 'Thanks, that makes sense.',
				sender: byOperator && owner ? { id: owner.id, name: owner.name, type: 'operator' } : { id: visitor.id, name: visitor.name, type: 'visitor' },
				meta: {},
			};
		}
		return entity;
	}
}
