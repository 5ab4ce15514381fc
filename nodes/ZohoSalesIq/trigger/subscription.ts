import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { SCOPES } from '../transport/scopes';
import { salesIqRequest } from '../transport/request';
import { CREDENTIAL_TYPE } from '../transport/types';
import { encodeSegment } from '../transport/url';
import { isConversationEvent } from './events';
import { parsePublicKey } from './signature';

/**
 * The trigger's own subscription in SalesIQ (v2 Webhooks API, salesiq-api.md 6.2). The node's
 * static data holds `webhookId`, `webhookUrl`, and for a secured webhook `publicKey` and `keyId`.
 */

export interface TriggerSettings {
	events: string[];
	/** Chosen brands; empty means every brand. */
	appIds: string[];
	screenName?: string;
	secured: boolean;
}

interface Subscription {
	id: string;
	url?: string;
	type?: string;
	events?: string[];
	appIds?: string[];
	secured?: boolean;
	active: boolean;
}

interface Desired {
	url: string;
	events: string[];
	appIds: string[];
	secured: boolean;
}

type Action = 'brands' | 'check' | 'create' | 'delete';

const ACTION_TEXT: Record<Action, string> = {
	brands: 'list the portal’s brands',
	check: 'look up the webhook subscription',
	create: 'create the webhook subscription',
	delete: 'delete the webhook subscription',
};

const STATIC_KEYS = ['webhookId', 'webhookUrl', 'publicKey', 'keyId', 'recentDeliveries'] as const;

export function readSettings(this: IHookFunctions): TriggerSettings {
	const events = (this.getNodeParameter('events', []) as unknown[]).map(String);
	const appIds = (this.getNodeParameter('appIds', []) as unknown[]).map(String).filter((id) => id.trim() !== '');
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const screenName = typeof options.screenName === 'string' ? options.screenName.trim() : '';
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event', {
			description: 'The trigger subscribes only to the events chosen in Events.',
		});
	}
	const unknown = events.find((event) => !isConversationEvent(event));
	if (unknown !== undefined) {
		throw new NodeOperationError(this.getNode(), `"${unknown.slice(0, 80)}" is not a SalesIQ conversation event`, {
			description: 'Pick the events from the list; each one is a Zoho event name such as conversation.completed.',
		});
	}
	return {
		events: [...new Set(events)],
		appIds: [...new Set(appIds)],
		screenName: screenName || undefined,
		secured: options.verifySignature !== false,
	};
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function asBool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

function asList(value: unknown): string[] | undefined {
	return Array.isArray(value) ? value.map(asText).filter((v): v is string => v !== undefined) : undefined;
}

function readSubscription(value: unknown): Subscription | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const record = value as IDataObject;
	const id = asText(record.id);
	if (id === undefined) return undefined;
	const status = typeof record.status === 'string' ? record.status.toLowerCase() : undefined;
	return {
		id,
		url: asText(record.url),
		type: asText(record.type),
		events: asList(record.events),
		appIds: asList(record.app_ids),
		secured: asBool(record.secured),
		active: status !== 'inactive' && status !== 'disabled' && asBool(record.is_enabled) !== false,
	};
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
	const left = new Set(a);
	const right = new Set(b);
	return left.size === right.size && [...left].every((value) => right.has(value));
}

/** Compares only what SalesIQ reported; a field it leaves out is not held against the subscription. */
function matches(subscription: Subscription, desired: Desired): boolean {
	return (
		subscription.active &&
		(subscription.url === undefined || subscription.url === desired.url) &&
		(subscription.type === undefined || subscription.type === 'data') &&
		(subscription.events === undefined || sameSet(subscription.events, desired.events)) &&
		(subscription.appIds === undefined || sameSet(subscription.appIds, desired.appIds)) &&
		(subscription.secured === undefined || subscription.secured === desired.secured)
	);
}

function zohoCode(error: unknown): { code?: number; param?: string; httpStatus?: number } {
	const response = (error as { errorResponse?: JsonObject }).errorResponse;
	if (typeof response !== 'object' || response === null) return {};
	const code = Number(response.code);
	const httpStatus = Number(response.httpStatus);
	return {
		code: Number.isFinite(code) && code > 0 ? code : undefined,
		param: typeof response.param === 'string' ? response.param : undefined,
		httpStatus: Number.isFinite(httpStatus) ? httpStatus : undefined,
	};
}

function isNotFound(error: unknown): boolean {
	const { code, httpStatus } = zohoCode(error);
	return code === 1019 || (code === undefined && httpStatus === 404);
}

/** True when SalesIQ rejected the subscription because of its URL (its HEAD check failed). */
function isUrlRejected(error: unknown): boolean {
	const { code, param } = zohoCode(error);
	if (param !== undefined) return param === 'url';
	return code === 1011 && /\burl\b/i.test((error as Error).message ?? '');
}

/** A URL SalesIQ's servers can never reach: not HTTPS, or a loopback or private address. */
function looksPrivate(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		if (protocol !== 'https:') return true;
		return /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|0\.0\.0\.0)/i.test(hostname) || !hostname.includes('.');
	} catch {
		return true;
	}
}

async function screenNameFor(this: IHookFunctions, settings: TriggerSettings): Promise<string> {
	if (settings.screenName) return settings.screenName;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return String(credentials.screenName ?? '');
}

/** Rewrites the three errors a builder can fix (scope, URL, screen name) to say what to do. */
async function explain(
	this: IHookFunctions,
	error: unknown,
	action: Action,
	settings: TriggerSettings,
	url: string,
	scope: string,
): Promise<Error> {
	if (!(error instanceof NodeApiError)) return error as Error;
	const { code } = zohoCode(error);
	const node = this.getNode();
	const errorResponse = (error.errorResponse ?? {}) as JsonObject;
	if (code === 1009) {
		return new NodeApiError(node, errorResponse, {
			message: `SalesIQ refused to ${ACTION_TEXT[action]}: the credential lacks the scope ${scope}. Reconnect the Zoho SalesIQ credential.`,
			description:
				'Open the Zoho SalesIQ credential and click Reconnect (or Connect my account). Zoho then asks for every scope the trigger needs, including SalesIQ.webhooks.READ, .CREATE and .DELETE and SalesIQ.Apps.READ.',
			httpCode: error.httpCode ?? undefined,
		});
	}
	if (code === 1005) {
		const screenName = await screenNameFor.call(this, settings);
		return new NodeApiError(node, errorResponse, {
			message: `SalesIQ does not know the portal "${screenName}": check the screen name`,
			description:
				'The screen name is the part of the SalesIQ address after the domain, for example zylker in salesiq.zoho.com/zylker/index. Fix it in the credential or pick the right portal in the trigger’s Portal option, and check that the credential’s data center is the one your account lives in.',
			httpCode: error.httpCode ?? undefined,
		});
	}
	if (action === 'create' && isUrlRejected(error)) {
		return new NodeApiError(node, errorResponse, {
			message: `SalesIQ could not reach the trigger’s webhook URL ${url}: n8n must be reachable from the internet at a public HTTPS URL`,
			description: `Before it accepts a subscription, SalesIQ sends a HEAD request to the webhook URL and needs a 200 answer. ${
				looksPrivate(url)
					? 'This URL is not public HTTPS. '
					: 'Check that nothing (firewall, proxy, authentication) blocks requests from Zoho. '
			}Set n8n’s WEBHOOK_URL environment variable to the public HTTPS address of this n8n instance (or use a tunnel), restart n8n, then activate the workflow again.`,
			httpCode: error.httpCode ?? undefined,
		});
	}
	return error;
}

async function request<T>(
	this: IHookFunctions,
	settings: TriggerSettings,
	options: { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: IDataObject },
): Promise<T> {
	return (await salesIqRequest.call(this, { ...options, version: 'v2', screenName: settings.screenName })) as T;
}

/** Every brand of the portal when none is chosen: data webhooks may need explicit `app_ids`. */
async function resolveAppIds(this: IHookFunctions, settings: TriggerSettings, url: string): Promise<string[]> {
	if (settings.appIds.length > 0) return settings.appIds;
	let apps: unknown;
	try {
		apps = await request.call(this, settings, { method: 'GET', path: '/apps' });
	} catch (error) {
		throw await explain.call(this, error, 'brands', settings, url, SCOPES.appsRead);
	}
	const ids = Array.isArray(apps)
		? apps.map((app) => asText((app as IDataObject | null)?.id)).filter((id): id is string => id !== undefined)
		: [];
	return [...new Set(ids)];
}

async function getSubscription(this: IHookFunctions, settings: TriggerSettings, id: string, url: string) {
	try {
		const data = await request.call(this, settings, { method: 'GET', path: `/webhooks/${encodeSegment(id)}` });
		return readSubscription(data);
	} catch (error) {
		if (isNotFound(error)) return undefined;
		throw await explain.call(this, error, 'check', settings, url, SCOPES.webhooksRead);
	}
}

async function listSubscriptions(this: IHookFunctions, settings: TriggerSettings, url: string): Promise<Subscription[]> {
	let data: unknown;
	try {
		data = await request.call(this, settings, { method: 'GET', path: '/webhooks' });
	} catch (error) {
		throw await explain.call(this, error, 'check', settings, url, SCOPES.webhooksRead);
	}
	return Array.isArray(data) ? data.map(readSubscription).filter((s): s is Subscription => s !== undefined) : [];
}

/** Deletes a subscription; one that is already gone counts as deleted. */
async function removeSubscription(this: IHookFunctions, settings: TriggerSettings, id: string, url: string): Promise<void> {
	try {
		await request.call(this, settings, { method: 'DELETE', path: `/webhooks/${encodeSegment(id)}` });
	} catch (error) {
		if (isNotFound(error)) return;
		throw await explain.call(this, error, 'delete', settings, url, SCOPES.webhooksDelete);
	}
}

/** Asks SalesIQ for the public key of a secured webhook and keeps it in the static data. */
async function storePublicKey(this: IHookFunctions, settings: TriggerSettings, id: string, url: string): Promise<void> {
	let data: unknown;
	try {
		data = await request.call(this, settings, { method: 'POST', path: `/webhooks/${encodeSegment(id)}/keys` });
	} catch (error) {
		throw await explain.call(this, error, 'create', settings, url, SCOPES.webhooksCreate);
	}
	const record = (typeof data === 'object' && data !== null ? data : {}) as IDataObject;
	const publicKey = typeof record.public_key === 'string' ? record.public_key : undefined;
	if (publicKey === undefined || parsePublicKey(publicKey) === undefined) {
		throw new NodeOperationError(this.getNode(), 'SalesIQ sent no usable public key for the webhook', {
			description:
				'The trigger needs the webhook’s RSA public key to check signatures. Try activating again; if this persists, turn off Options > Verify Signature.',
		});
	}
	const staticData = this.getWorkflowStaticData('node');
	staticData.publicKey = publicKey;
	staticData.keyId = asText(record.id) ?? null;
}

function forget(staticData: IDataObject): void {
	for (const key of STATIC_KEYS) delete staticData[key];
}

/**
 * True when a subscription that fits the node's settings already exists: the stored one, or one
 * found with the same URL (which is then adopted). Other subscriptions to this URL are deleted, so
 * duplicates never accumulate and every event arrives once.
 */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	const settings = readSettings.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const staticData = this.getWorkflowStaticData('node');
	const desired: Desired = {
		url,
		events: settings.events,
		appIds: await resolveAppIds.call(this, settings, url),
		secured: settings.secured,
	};

	const candidates: Subscription[] = [];
	const storedId = typeof staticData.webhookId === 'string' ? staticData.webhookId : undefined;
	if (storedId !== undefined) {
		const stored = await getSubscription.call(this, settings, storedId, url);
		// One stored for another URL (a production subscription seen from a test run, or an older
		// base URL) is left alone; one whose URL SalesIQ does not report is taken as ours.
		if (stored && (stored.url === undefined || stored.url === url)) candidates.push(stored);
	}
	for (const listed of await listSubscriptions.call(this, settings, url)) {
		if (listed.url === url && !candidates.some((c) => c.id === listed.id)) candidates.push(listed);
	}

	const match = candidates.find((candidate) => matches(candidate, desired));
	for (const candidate of candidates) {
		if (candidate !== match) await removeSubscription.call(this, settings, candidate.id, url);
	}
	if (!match) {
		forget(staticData);
		return false;
	}

	const keptKey = staticData.webhookId === match.id && typeof staticData.publicKey === 'string';
	if (staticData.webhookId !== match.id) forget(staticData);
	staticData.webhookId = match.id;
	staticData.webhookUrl = url;
	if (settings.secured && !keptKey) {
		await storePublicKey.call(this, settings, match.id, url);
	} else if (!settings.secured) {
		delete staticData.publicKey;
		delete staticData.keyId;
	}
	return true;
}

/** POST /webhooks, then (secured) the public key. A half-made subscription is deleted again. */
export async function createSubscription(this: IHookFunctions): Promise<boolean> {
	const settings = readSettings.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const staticData = this.getWorkflowStaticData('node');
	const appIds = await resolveAppIds.call(this, settings, url);
	const body: IDataObject = {
		type: 'data',
		url,
		events: settings.events,
		version: '1',
		...(appIds.length > 0 ? { app_ids: appIds } : {}),
		secured: settings.secured,
	};

	let created: Subscription | undefined;
	try {
		created = readSubscription(await request.call(this, settings, { method: 'POST', path: '/webhooks', body }));
	} catch (error) {
		throw await explain.call(this, error, 'create', settings, url, SCOPES.webhooksCreate);
	}
	if (!created) {
		throw new NodeOperationError(this.getNode(), 'SalesIQ accepted the subscription but returned no webhook ID', {
			description: 'Deactivate and activate the workflow again. If SalesIQ now lists a webhook for this URL, the trigger adopts it.',
		});
	}

	forget(staticData);
	staticData.webhookId = created.id;
	staticData.webhookUrl = url;
	if (settings.secured) {
		let keyError: unknown;
		try {
			await storePublicKey.call(this, settings, created.id, url);
		} catch (error) {
			keyError = error;
		}
		if (keyError !== undefined) {
			forget(staticData);
			await removeSubscription.call(this, settings, created.id, url).catch(() => {
				// The key error is the one to report; the next activation finds this webhook by its URL and deletes it.
			});
			throw keyError as Error;
		}
	}
	return true;
}

/** DELETE the stored subscription and clear the static data. */
export async function deleteSubscription(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const id = typeof staticData.webhookId === 'string' ? staticData.webhookId : undefined;
	if (id !== undefined) {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const screenName = typeof options.screenName === 'string' && options.screenName.trim() ? options.screenName.trim() : undefined;
		const settings: TriggerSettings = { events: [], appIds: [], screenName, secured: false };
		await removeSubscription.call(this, settings, id, String(staticData.webhookUrl ?? ''));
	}
	forget(staticData);
	return true;
}
