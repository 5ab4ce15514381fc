/**
 * Webhook-bot emulator: the sandbox plays SalesIQ towards a bot URL (a signed `trigger`, `message` or
 * `context` request, an answer awaited within a time limit and recorded), and serves the callbacks API
 * that completes a `pending` answer: `POST /api/v2/{screen}/callbacks/{request_id}/progress|response`.
 */
import { generateKeyPair, sign } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Dataset } from './data';
import { ApiError, badJsonKey, json, MESSAGES } from './http';
import type { ApiRoute, Reply, RouteContext } from './http';
import { BOT_HANDLERS, botRequestBody, botVisitor, checkBotResponse } from './bot-payloads';
import type { BotHandler, BotVisitor, EndDelay, ResponseCheck } from './bot-payloads';
import { mix, Random } from './random';

export const CALLBACKS_SCOPE = 'SalesIQ.callbacks.UPDATE';
/** Zoho asks bots to answer within 5 s (one copy of its pages says 10 s). */
export const DEFAULT_BOT_TIMEOUT_MS = 5_000;
const MAX_RECORDS = 10_000;

export interface PlayOptions {
	/** The bot's webhook URL. */
	url: string;
	/** Default `message`. */
	handler?: BotHandler;
	/** `message.text`; default "Hello". */
	text?: string;
	/** Default: `chat` for the first message of a conversation, `message` after. */
	operation?: 'chat' | 'message';
	/** `message.type` and `message.meta` (cards, files). */
	messageType?: string;
	meta?: Record<string, unknown>;
	attachments?: unknown[];
	/** The context handler's `answers` and `context_id`. */
	answers?: Record<string, unknown>;
	contextId?: string;
	/** Default: a new conversation per call unless given. */
	conversationId?: string;
	/** Merged over the generated visitor map. */
	visitor?: Record<string, unknown>;
	/** Signs with the bot key (header x-siqsignature). Default true. */
	signed?: boolean;
	/** Changes the body after signing, so the signature no longer matches. */
	tamper?: boolean;
	/** How long SalesIQ waits for the answer. Default 5000 ms. */
	timeoutMs?: number;
}

export interface BotExchange {
	requestId: string;
	handler: BotHandler;
	conversationId: string;
	url: string;
	headers: Record<string, string>;
	/** The body as sent (after tampering, when asked). */
	body: string;
	/** HTTP status of the answer, or 0 when none came (see `error`). */
	status: number;
	/** `timeout` when no answer came within `timeoutMs`, or the network error. */
	error?: string;
	elapsedMs: number;
	timeoutMs: number;
	responseText: string;
	/** The parsed answer, when it was JSON. */
	response?: unknown;
	action?: string;
	/** What SalesIQ would object to in the answer (empty: accepted). A non-2xx or non-JSON answer is a problem too. */
	problems: ResponseCheck['problems'];
	endDelay?: EndDelay;
	/** A 2xx answer that SalesIQ accepts, within the time limit. */
	accepted: boolean;
	time: number;
}

export interface CallbackCall {
	requestId: string;
	kind: 'progress' | 'response';
	body: unknown;
	/** HTTP status the sandbox answered. */
	status: number;
	/** The refusal's error code, if refused. */
	code?: number;
	action?: string;
	endDelay?: EndDelay;
	time: number;
}

export interface BotKey {
	/** PEM (SubjectPublicKeyInfo). */
	public_key: string;
	/** The same key as bare Base64 DER, the other form a settings page may show. */
	public_key_base64: string;
}

interface Pending {
	exchange: BotExchange;
	state: 'pending' | 'completed';
}

function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number) {
	return new Promise<{ status: number; text: string }>((resolve, reject) => {
		const target = new URL(url);
		const client = target.protocol === 'https:' ? https : http;
		const req = client.request(target, { method: 'POST', headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		// A deadline for the whole exchange, not an idle timeout: SalesIQ gives up after the limit.
		const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
		req.on('close', () => clearTimeout(timer));
		req.on('error', reject);
		req.end(body);
	});
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export class BotEmulator {
	private key?: Promise<{ publicKey: string; publicKeyBase64: string; privateKey: string }>;
	private readonly log: BotExchange[] = [];
	private readonly callbackLog: CallbackCall[] = [];
	private readonly pending = new Map<string, Pending>();
	private readonly started = new Set<string>();
	private readonly ids: Random;
	private count = 0;

	constructor(
		private readonly dataset: Dataset,
		private readonly now: () => number,
	) {
		this.ids = new Random(mix(dataset.seed, 19));
	}

	/** The bot's RSA public key, as "Secure your webhook" shows it (created on first use). */
	async publicKey(): Promise<BotKey> {
		const pair = await this.keyPair();
		return { public_key: pair.publicKey, public_key_base64: pair.publicKeyBase64 };
	}

	exchanges(): BotExchange[] {
		return [...this.log];
	}

	callbacks(): CallbackCall[] {
		return [...this.callbackLog];
	}

	/** Sends one handler request to the bot and records the answer. */
	async play(options: PlayOptions): Promise<BotExchange> {
		if (typeof options.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new Error('url must be an http(s) URL');
		const handler = options.handler ?? 'message';
		if (!BOT_HANDLERS.includes(handler)) throw new Error(`handler must be one of ${BOT_HANDLERS.join(', ')}`);
		const timeoutMs = options.timeoutMs ?? DEFAULT_BOT_TIMEOUT_MS;
		if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new Error('timeoutMs must be an integer >= 1');
		const index = this.count++;
		const conversationId = options.conversationId ?? `${this.dataset.portal.id.slice(0, 5)}${this.ids.digits(12)}`;
		const requestId = `${this.ids.hex(6)}-${this.ids.hex(6)}-${this.ids.hex(6)}-${this.ids.hex(7)}`;
		const operation = options.operation ?? (this.started.has(conversationId) ? 'message' : 'chat');
		if (handler === 'message') this.started.add(conversationId);
		const visitor: BotVisitor = { ...botVisitor(this.dataset, conversationId, index), ...options.visitor, active_conversation_id: conversationId };
		const payload = botRequestBody({
			handler,
			requestId,
			orgId: this.dataset.portal.org_id,
			visitor,
			operation,
			text: options.text ?? 'Hello',
			messageType: options.messageType,
			meta: options.meta,
			attachments: options.attachments,
			answers: options.answers,
			contextId: options.contextId,
			time: this.now(),
		});
		let body = JSON.stringify(payload);
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (options.signed ?? true) {
			const pair = await this.keyPair();
			headers['x-siqsignature'] = sign('sha256', Buffer.from(body, 'utf8'), pair.privateKey).toString('base64');
		}
		if (options.tamper) body = JSON.stringify({ ...payload, org_id: `${String(payload.org_id)}0` });

		const exchange: BotExchange = {
			requestId, handler, conversationId, url: options.url, headers, body,
			status: 0, elapsedMs: 0, timeoutMs, responseText: '', problems: [], accepted: false, time: this.now(),
		};
		const startedAt = performance.now();
		try {
			const answer = await post(options.url, headers, body, timeoutMs);
			exchange.status = answer.status;
			exchange.responseText = answer.text;
		} catch (error) {
			exchange.error = (error as Error).message;
		}
		exchange.elapsedMs = Math.round(performance.now() - startedAt);
		this.judge(exchange);
		this.remember(this.log, exchange);
		if (exchange.accepted && exchange.action === 'pending') this.pending.set(requestId, { exchange, state: 'pending' });
		return exchange;
	}

	/** The callbacks API routes, for the sandbox's route table. */
	routes(): ApiRoute[] {
		return [
			{
				method: 'POST',
				pattern: /^\/api\/v2\/([^/]+)\/callbacks\/([^/]+)\/(progress|response)$/,
				screen: true,
				scope: CALLBACKS_SCOPE,
				handler: (ctx) => this.callback(ctx),
			},
		];
	}

	private judge(exchange: BotExchange): void {
		if (exchange.error !== undefined) {
			exchange.problems.push({ key: '', message: exchange.error === 'timeout' ? `no answer within ${exchange.timeoutMs} ms` : exchange.error });
			return;
		}
		exchange.response = parse(exchange.responseText);
		if (exchange.status < 200 || exchange.status > 299) exchange.problems.push({ key: '', message: `HTTP ${exchange.status}` });
		const check = exchange.response === undefined
			? { problems: [{ key: '', message: 'the answer is not JSON' }] }
			: checkBotResponse(exchange.response);
		exchange.problems.push(...check.problems);
		exchange.action = 'action' in check ? check.action : undefined;
		if ('endDelay' in check) exchange.endDelay = check.endDelay;
		exchange.accepted = exchange.problems.length === 0;
	}

	private callback(ctx: RouteContext): Reply {
		const [requestId, kind] = ctx.params as [string, 'progress' | 'response'];
		const record: CallbackCall = { requestId, kind, body: parse(ctx.body) ?? ctx.body, status: 200, time: this.now() };
		try {
			const entry = this.pending.get(requestId);
			// Unknown, never pending, or already answered: the exchange no longer takes callbacks.
			if (!entry || entry.state !== 'pending') throw new ApiError(404, 1019, MESSAGES[1019]);
			const body = parse(ctx.body);
			if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 1015, MESSAGES[1015]);
			if (kind === 'progress') {
				const text = (body as Record<string, unknown>).text;
				if (typeof text !== 'string' || text.trim() === '') throw badJsonKey('text');
			} else {
				const check = checkBotResponse(body);
				record.action = check.action;
				record.endDelay = check.endDelay;
				if (check.problems.length > 0) throw badJsonKey(check.problems[0].key || 'action');
				entry.state = 'completed';
			}
			this.remember(this.callbackLog, record);
			return json(200, { url: ctx.path, object: 'callback', data: { request_id: requestId, status: entry.state } });
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			record.status = error.status;
			record.code = error.code;
			this.remember(this.callbackLog, record);
			throw error;
		}
	}

	private remember<T>(list: T[], item: T): void {
		list.push(item);
		if (list.length > MAX_RECORDS) list.splice(0, list.length - MAX_RECORDS);
	}

	private keyPair() {
		this.key ??= new Promise((resolve, reject) => {
			generateKeyPair(
				'rsa',
				{ modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } },
				(error, publicKey, privateKey) => {
					if (error) return reject(error);
					const publicKeyBase64 = publicKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
					resolve({ publicKey, publicKeyBase64, privateKey });
				},
			);
		});
		return this.key;
	}
}

/** Control routes under `/__sandbox/bot/`. */
export async function botControl(bots: BotEmulator, key: string, body: unknown): Promise<Reply | undefined> {
	switch (key) {
		case 'GET /bot/key':
			return json(200, await bots.publicKey());
		case 'POST /bot/play':
			return json(200, await bots.play(body as PlayOptions));
		case 'GET /bot/exchanges':
			return json(200, bots.exchanges());
		case 'GET /bot/callbacks':
			return json(200, bots.callbacks());
		default:
			return undefined;
	}
}
