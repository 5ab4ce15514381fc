import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asText } from '../shared/values';
import { explain, isNotFound, request, type TriggerSettings } from './api';
import { TRIGGER_ENDPOINTS as API } from './endpoints';
import { isConversationEvent } from './events';
import { forgetKeys, learnKeys, listedKeys, optionKey, storedKeys, type ListedKeys } from './keys';

/**
 * The trigger's own subscription in SalesIQ (v2 Webhooks API). The node's static data holds
 * `webhookId`, `webhookUrl`, and for a secured webhook its `publicKeys` (see keys.ts).
 */

interface Subscription {
	id: string;
	url?: string;
	type?: string;
	events?: string[];
	appIds?: string[];
	secured?: boolean;
	active: boolean;
	/** The webhook's `public_keys`, when the object listed them. */
	keys?: ListedKeys;
	/** Read from the webhook's details rather than the list. */
	detailed?: boolean;
}

interface Desired {
	url: string;
	events: string[];
	appIds: string[];
	secured: boolean;
}

const STATIC_KEYS = ['webhookId', 'webhookUrl', 'recentDeliveries'] as const;

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
	optionKey(this.getNode(), options);
	return {
		events: [...new Set(events)],
		appIds: [...new Set(appIds)],
		screenName: screenName || undefined,
		secured: options.verifySignature !== false,
	};
}

function asBool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

function textList(value: unknown): string[] | undefined {
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
		events: textList(record.events),
		appIds: textList(record.app_ids),
		secured: asBool(record.secured),
		active: status !== 'inactive' && status !== 'disabled' && asBool(record.is_enabled) !== false,
		keys: listedKeys(record),
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

/** Every brand of the portal when none is chosen: data webhooks may need explicit `app_ids`. */
async function resolveAppIds(this: IHookFunctions, settings: TriggerSettings, url: string): Promise<string[]> {
	if (settings.appIds.length > 0) return settings.appIds;
	let apps: unknown;
	try {
		apps = await request.call(this, settings, API.apps);
	} catch (error) {
		throw await explain.call(this, error, 'brands', settings, url, API.apps.scope);
	}
	const ids = Array.isArray(apps)
		? apps.map((app) => asText((app as IDataObject | null)?.id)).filter((id): id is string => id !== undefined)
		: [];
	return [...new Set(ids)];
}

async function getSubscription(this: IHookFunctions, settings: TriggerSettings, id: string, url: string) {
	try {
		const data = await request.call(this, settings, API.getWebhook, { params: { id } });
		const subscription = readSubscription(data);
		return subscription && { ...subscription, detailed: true };
	} catch (error) {
		if (isNotFound(error)) return undefined;
		throw await explain.call(this, error, 'check', settings, url, API.getWebhook.scope);
	}
}

async function listSubscriptions(this: IHookFunctions, settings: TriggerSettings, url: string): Promise<Subscription[]> {
	let data: unknown;
	try {
		data = await request.call(this, settings, API.listWebhooks);
	} catch (error) {
		throw await explain.call(this, error, 'check', settings, url, API.listWebhooks.scope);
	}
	return Array.isArray(data) ? data.map(readSubscription).filter((s): s is Subscription => s !== undefined) : [];
}

/** Deletes a subscription; one that is already gone counts as deleted. */
async function removeSubscription(this: IHookFunctions, settings: TriggerSettings, id: string, url: string): Promise<void> {
	try {
		await request.call(this, settings, API.deleteWebhook, { params: { id } });
	} catch (error) {
		if (isNotFound(error)) return;
		throw await explain.call(this, error, 'delete', settings, url, API.deleteWebhook.scope);
	}
}

function forget(staticData: IDataObject): void {
	for (const key of STATIC_KEYS) delete staticData[key];
	forgetKeys(staticData);
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

	const sameWebhook = staticData.webhookId === match.id;
	if (!sameWebhook) forget(staticData);
	staticData.webhookId = match.id;
	staticData.webhookUrl = url;
	if (!settings.secured) {
		forgetKeys(staticData);
		return true;
	}
	let known = match.keys;
	if (known === undefined && sameWebhook && storedKeys(staticData).length > 0) return true;
	if (known === undefined && !match.detailed) known = (await getSubscription.call(this, settings, match.id, url))?.keys;
	if (await learnKeys.call(this, settings, match.id, known, url, false)) return true;
	// SalesIQ does not say which keys this webhook holds, and asking for one could add a key it does
	// not need: replace the subscription with a new one instead.
	await removeSubscription.call(this, settings, match.id, url);
	forget(staticData);
	return false;
}

/** POST /webhooks, then (secured) its public keys. A half-made subscription is deleted again. */
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
		created = readSubscription(await request.call(this, settings, API.createWebhook, { body }));
	} catch (error) {
		throw await explain.call(this, error, 'create', settings, url, API.createWebhook.scope);
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
			let known = created.keys;
			if (known === undefined) known = (await getSubscription.call(this, settings, created.id, url))?.keys;
			// A webhook made a moment ago holds no key unless SalesIQ said so: adding one is safe.
			await learnKeys.call(this, settings, created.id, known, url, true);
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
