/**
 * The sandbox process: one HTTP server on 127.0.0.1 serving Zoho Accounts, the SalesIQ API,
 * public download links and the `/__sandbox/` control routes from the same origin.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { v1Routes, DownloadLinks, FILE_HOST_PREFIX } from './api-v1';
import type { PushNotification } from './api-v1';
import { v2Routes } from './api-v2';
import { conversationRoutes } from './api-conversations';
import { handleControl } from './control';
import { Dataset } from './data';
import type { AddChatsOptions, V1Chat } from './data';
import { BotEmulator } from './bots';
import { applyFault, FaultEngine } from './faults';
import { LiveChats } from './live-chats';
import type { Fault, FaultState } from './faults';
import { ApiError, formParams, json, MESSAGES, readBody, sleep, writeReply } from './http';
import type { ApiRoute, Reply } from './http';
import { ALL_SCOPES, hasScope, OAuthServer } from './oauth';
import { mix, Random, seedFrom } from './random';
import { FileHost } from './file-host';
import { describeVariants, errorStatus, resolveVariants } from './variants';
import type { Variants } from './variants';
import { WebhookStore } from './webhooks';
import type { DeliverOptions, DeliveryRecord, DeliveryResult, Webhook } from './webhooks';

export const HOST = '127.0.0.1';
/** The file host listens on another loopback address, so it is another host, not just another port. */
export const FILE_HOST = '127.0.0.2';

export interface SandboxOptions {
	/** 0 picks a free port. Default 0. */
	port?: number;
	/** Same seed, same dataset. Default 1. */
	seed?: number | string;
	/** Default 1000. */
	chats?: number;
	/** Default 1000. */
	visitors?: number;
	/** Readings of Zoho's documentation to play, by variant name (see variants.ts); unnamed ones take their default. */
	variants?: Partial<Record<string, string>>;
	/** Alias of the variant errors=200. */
	errorsAs200?: boolean;
	/** Access token lifetime. Default 3600. */
	tokenTtlSeconds?: number;
	/** Added before answering every API, accounts and download request. */
	latencyMs?: number;
	/** Extra random latency in [0, latencyJitterMs), from a seeded generator. */
	latencyJitterMs?: number;
	/** The authorization endpoint redirects with error=access_denied. */
	deny?: boolean;
	/** Time source for tokens, codes, links and sync_time; `advanceTime` adds to it. Default Date.now. */
	clock?: () => number;
	/** Chats spread over the 30 days before this instant (ms). Default: now, rounded down to the hour. */
	anchorTime?: number;
	/** Alias of the variant token-expiry=milliseconds. */
	legacyExpiresIn?: boolean;
	/** Faults active from the start. */
	faults?: Fault[];
	/** The request log keeps at most this many entries (oldest dropped). Default 100,000. */
	maxLoggedRequests?: number;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-cased header names, as Node parses them. */
	headers: http.IncomingHttpHeaders;
	body: string;
	time: number;
	/** Id of the fault applied to this request, if any. */
	fault?: string;
	/** 'files' for a request to the file host (the `files` variants); absent for the main origin. */
	host?: 'files';
}

/** An API write the sandbox performed (a non-GET API request that succeeded). */
export interface PerformedWrite {
	method: string;
	path: string;
}

/** What the CLI prints and `GET /__sandbox/info` returns. */
export interface SandboxInfo {
	url: string;
	accountsUrl: string;
	apiUrl: string;
	clientId: string;
	clientSecret: string;
	screenName: string;
	accessToken: string;
	refreshToken: string;
	/** Origin of the file host, empty unless a `files` variant other than api-host is in force. */
	filesUrl: string;
	/** Variants that differ from their default, as `name=value`. */
	variantsInForce: string[];
}

const AUTH_HEADER = /^(?:Bearer|Zoho-oauthtoken)\s+(\S+)\s*$/i;

function count(name: string, value: number | undefined, fallback: number, min = 0): number {
	const n = value ?? fallback;
	if (!Number.isInteger(n) || n < min) throw new TypeError(`${name} must be an integer >= ${min}`);
	return n;
}

export class Sandbox implements SandboxInfo {
	url = '';
	accountsUrl = '';
	apiUrl = '';
	port = 0;
	readonly clientId: string;
	readonly clientSecret: string;
	readonly screenName: string;
	readonly accessToken: string;
	readonly refreshToken: string;
	/** Scopes of the pre-issued tokens. */
	readonly scopes = [...ALL_SCOPES];
	readonly dataset: Dataset;
	readonly errorsAs200: boolean;
	/** Plays SalesIQ towards webhook bots and serves the bot callbacks API. */
	readonly bots: BotEmulator;
	/** Chats that open, get picked up and end while the sandbox runs (docs/SANDBOX-DRIVING.md, "Live chats"). */
	readonly live: LiveChats;
	readonly variants: Variants;
	filesUrl = '';

	private readonly oauth: OAuthServer;
	private readonly faultEngine = new FaultEngine();
	private readonly hooks: WebhookStore;
	private readonly downloads: DownloadLinks;
	private readonly notifications: PushNotification[] = [];
	private readonly routes: ApiRoute[];
	private log: LoggedRequest[] = [];
	private readonly performed: PerformedWrite[] = [];
	private readonly fileHost?: FileHost;
	private readonly maxLogged: number;
	private readonly latencyMs: number;
	private readonly jitterMs: number;
	private readonly jitter: Random;
	private readonly clock: () => number;
	private offset = 0;
	private readonly server: http.Server;
	private stopping?: Promise<void>;

	constructor(private readonly options: SandboxOptions = {}) {
		const seed = seedFrom(options.seed ?? 1);
		this.clock = options.clock ?? Date.now;
		const chats = count('chats', options.chats, 1000);
		const visitors = count('visitors', options.visitors, 1000);
		const ttl = count('tokenTtlSeconds', options.tokenTtlSeconds, 3600, 1);
		this.latencyMs = count('latencyMs', options.latencyMs, 0);
		this.jitterMs = count('latencyJitterMs', options.latencyJitterMs, 0);
		this.maxLogged = count('maxLoggedRequests', options.maxLoggedRequests, 100_000, 1);
		this.variants = resolveVariants({
			...(options.errorsAs200 ? { errors: '200' } : {}),
			...(options.legacyExpiresIn ? { 'token-expiry': 'milliseconds' } : {}),
			...options.variants,
		});
		this.errorsAs200 = this.variants.errors === '200';
		this.jitter = new Random(mix(seed, 6));
		const anchorTime = options.anchorTime ?? Math.floor(this.now() / 3_600_000) * 3_600_000;

		const wideAppIds = this.variants.delivery === 'v1-number';
		this.dataset = new Dataset({ seed, chats, visitors, anchorTime, now: () => this.now(), wideAppIds });
		this.screenName = this.dataset.portal.screenname;
		const ids = new Random(mix(seed, 5));
		this.clientId = `1000.${ids.hex(30).toUpperCase()}`;
		this.clientSecret = ids.hex(42);
		this.oauth = new OAuthServer({
			clientId: this.clientId,
			clientSecret: this.clientSecret,
			ttlSeconds: ttl,
			legacyExpiresIn: this.variants['token-expiry'] === 'milliseconds',
			deny: options.deny ?? false,
			now: () => this.now(),
			baseUrl: () => this.url,
		});
		({ accessToken: this.accessToken, refreshToken: this.refreshToken } = this.oauth.issue(this.scopes));
		this.hooks = new WebhookStore(this.dataset, () => this.now(), this.variants);
		this.downloads = new DownloadLinks(() => this.now(), this.variants, () => this.filesUrl);
		this.bots = new BotEmulator(this.dataset, () => this.now());
		this.live = new LiveChats(this.dataset, () => this.now());
		this.routes = [
			...v1Routes(this.dataset, this.downloads, this.notifications, this.variants, () => this.now()),
			...v2Routes(this.dataset, this.hooks, this.variants, () => this.now()),
			...conversationRoutes(this.dataset, this.downloads, this.variants),
			...this.bots.routes(),
		];
		if (this.variants.files !== 'api-host') this.fileHost = new FileHost((req, res) => this.onRequest(req, res, 'files'));
		for (const fault of options.faults ?? []) this.faultEngine.add(fault);
		this.server = http.createServer((req, res) => {
			this.onRequest(req, res).catch((error: unknown) => {
				console.error('sandbox: unexpected error', error);
				writeReply(res, json(500, { error: { code: 1001, message: MESSAGES[1001] } }));
			});
		});
	}

	async listen(): Promise<this> {
		const port = count('port', this.options.port, 0);
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, HOST, () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		this.port = (this.server.address() as AddressInfo).port;
		this.url = this.accountsUrl = this.apiUrl = `http://${HOST}:${this.port}`;
		if (this.fileHost) this.filesUrl = await this.fileHost.listen(FILE_HOST);
		return this;
	}

	/** Closes the server and every open connection, including hung ones. */
	stop(): Promise<void> {
		this.stopping ??= Promise.all([
			new Promise<void>((resolve) => {
				this.server.close(() => resolve());
				this.server.closeAllConnections();
			}),
			this.fileHost?.stop(),
		]).then(() => undefined);
		return this.stopping;
	}

	info(): SandboxInfo {
		const { url, accountsUrl, apiUrl, clientId, clientSecret, screenName, accessToken, refreshToken, filesUrl } = this;
		const { variantsInForce } = this;
		return { url, accountsUrl, apiUrl, clientId, clientSecret, screenName, accessToken, refreshToken, filesUrl, variantsInForce };
	}

	get variantsInForce(): string[] {
		return describeVariants(this.variants);
	}

	now(): number {
		return this.clock() + this.offset;
	}

	/** Moves the sandbox clock forward (token and code expiry, rate windows, link expiry). */
	advanceTime(ms: number): void {
		this.offset += ms;
	}

	/** Logged requests except control calls, oldest first; `match` filters by path substring. */
	requests(match?: string): LoggedRequest[] {
		return match === undefined ? [...this.log] : this.log.filter((r) => r.path.includes(match));
	}

	tokenRequests(): LoggedRequest[] {
		return this.log.filter((r) => r.path === '/oauth/v2/token');
	}

	clearRequests(): void {
		this.log = [];
	}

	/** API writes performed so far (non-GET API requests that succeeded), oldest first. */
	writes(): PerformedWrite[] {
		return [...this.performed];
	}

	inject(fault: Fault): string {
		return this.faultEngine.add(fault);
	}

	removeFault(id: string): boolean {
		return this.faultEngine.remove(id);
	}

	clearFaults(): void {
		this.faultEngine.clear();
	}

	faults(): FaultState[] {
		return this.faultEngine.list();
	}

	/** Makes every access token issued so far expired; returns how many were live. */
	expireAccessTokens(): number {
		return this.oauth.expireAccessTokens();
	}

	revokeRefreshToken(token: string): boolean {
		return this.oauth.revokeRefreshToken(token);
	}

	setDeny(deny: boolean): void {
		this.oauth.deny = deny;
	}

	addChats(n: number, options?: AddChatsOptions): V1Chat[] {
		return this.dataset.addChats(count('n', n, 0), options);
	}

	/** POSTs an event to every matching subscriber; resolves to one result per webhook. */
	deliverEvent(options: DeliverOptions): Promise<DeliveryResult[]> {
		return this.hooks.deliver(options);
	}

	webhooks(): Webhook[] {
		return this.hooks.list();
	}

	deliveries(): DeliveryRecord[] {
		return this.hooks.deliveries();
	}

	sentNotifications(): PushNotification[] {
		return [...this.notifications];
	}

	private latency(): number {
		return this.latencyMs + (this.jitterMs > 0 ? Math.floor(this.jitter.next() * this.jitterMs) : 0);
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse, host?: 'files'): Promise<void> {
		const url = new URL(req.url ?? '/', this.url || `http://${HOST}`);
		const path = url.pathname;
		const method = req.method ?? 'GET';
		const body = await readBody(req);
		if (host === 'files') {
			this.log.push({ method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, time: this.now(), host });
			const id = path.startsWith(FILE_HOST_PREFIX) ? path.slice(FILE_HOST_PREFIX.length) : '';
			writeReply(res, this.downloads.serve(method, id, true));
			return;
		}
		if (path === '/__sandbox' || path.startsWith('/__sandbox/')) {
			writeReply(res, await handleControl(this, method, path.slice('/__sandbox'.length), url.searchParams, body));
			return;
		}
		const entry: LoggedRequest = {
			method,
			path,
			query: Object.fromEntries(url.searchParams),
			headers: req.headers,
			body,
			time: this.now(),
		};
		this.log.push(entry);
		if (this.log.length > this.maxLogged * 1.1) this.log.splice(0, this.log.length - this.maxLogged);
		const { delayMs, fault } = this.faultEngine.select(method, path);
		if (fault) entry.fault = fault.id;
		const delay = this.latency() + delayMs;
		if (delay > 0) await sleep(delay);
		if (fault) {
			applyFault(fault, req, res, this.errorsAs200);
			return;
		}
		const reply = await this.route(method, path, url.searchParams, req, body);
		const failed = typeof reply.body === 'object' && reply.body !== null && 'error' in reply.body;
		if (path.startsWith('/api/') && method !== 'GET' && reply.status < 300 && !failed) this.performed.push({ method, path });
		writeReply(res, reply);
	}

	private async route(method: string, path: string, query: URLSearchParams, req: http.IncomingMessage, body: string): Promise<Reply> {
		if (path.startsWith('/oauth/')) return this.oauth.handle(method, path, formParams(query, req, body), req.headers);
		if (path.startsWith('/pubdownload/')) return this.downloads.serve(method, path.slice('/pubdownload/'.length));
		try {
			if (!path.startsWith('/api/')) throw new ApiError(404, 1006, MESSAGES[1006]);
			return await this.api(method, path, query, req, body);
		} catch (error) {
			if (!(error instanceof ApiError)) throw error;
			return { status: errorStatus(this.variants, error), body: error.body };
		}
	}

	private async api(method: string, path: string, query: URLSearchParams, req: http.IncomingMessage, body: string): Promise<Reply> {
		const header = AUTH_HEADER.exec(req.headers.authorization ?? '');
		if (!header) throw new ApiError(401, 1002, MESSAGES[1002]);
		const grant = this.oauth.verify(header[1]);
		if (!grant) throw new ApiError(401, 1008, MESSAGES[1008]);
		let route: ApiRoute | undefined;
		let match: RegExpExecArray | null = null;
		let pathKnown = false;
		for (const candidate of this.routes) {
			const m = candidate.pattern.exec(path);
			if (!m) continue;
			pathKnown = true;
			if (candidate.method === method) {
				route = candidate;
				match = m;
				break;
			}
		}
		if (!route || !match) throw pathKnown ? new ApiError(405, 1004, MESSAGES[1004]) : new ApiError(404, 1006, MESSAGES[1006]);
		if (!hasScope(grant.scopes, route.scope)) throw new ApiError(401, 1009, MESSAGES[1009]);
		let params: string[];
		try {
			params = match.slice(1).map((p) => decodeURIComponent(p));
		} catch {
			throw new ApiError(404, 1006, MESSAGES[1006]);
		}
		if (route.screen && params.shift() !== this.screenName) throw new ApiError(404, 1005, MESSAGES[1005]);
		return route.handler({ req, path, params, query, body, baseUrl: this.url });
	}
}
