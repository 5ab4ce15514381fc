import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** How many recent deliveries the trigger remembers to recognize a redelivery or a replay. */
export const DELIVERY_MEMORY = 500;

/**
 * The identity of an event: webhook, event name, entity and event time. It leaves out `attempt`,
 * so a redelivery and a replayed copy map to the same key. Hashed to keep static data small.
 */
export function deliveryKey(parts: {
	webhookId?: string;
	event: string;
	entityId?: string;
	eventTime?: number;
}): string {
	const identity = JSON.stringify([parts.webhookId ?? '', parts.event, parts.entityId ?? '', parts.eventTime ?? '']);
	return createHash('sha256').update(identity).digest('base64url').slice(0, 22);
}

/**
 * Records `key` in the static data unless it is already there. Returns false for a key seen
 * before. Only the newest `limit` keys are kept.
 */
export function rememberDelivery(staticData: IDataObject, key: string, limit = DELIVERY_MEMORY): boolean {
	const recent = Array.isArray(staticData.recentDeliveries)
		? (staticData.recentDeliveries as unknown[]).filter((k): k is string => typeof k === 'string')
		: [];
	if (recent.includes(key)) return false;
	recent.push(key);
	// A new array, so n8n notices the change and saves the static data.
	staticData.recentDeliveries = recent.slice(Math.max(0, recent.length - limit));
	return true;
}
