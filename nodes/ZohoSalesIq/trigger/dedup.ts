import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { isRecord } from '../shared/values';

/** How many recent deliveries the trigger remembers to recognize a redelivery or a replay. */
export const DELIVERY_MEMORY = 500;

/** JSON with object keys sorted, so that the same entity always gives the same text. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** The id of the message a message event is about (msgid or id of entity.message), if any. */
function messageIdOf(entity: unknown): string | undefined {
	const message = isRecord(entity) ? entity.message : undefined;
	if (!isRecord(message)) return undefined;
	const id = message.msgid ?? message.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * The identity of an event: webhook, event name, entity id and event time, plus what tells apart
 * two events that share all of those: the message id of a message event, and, when there is no
 * event time, a hash of the whole entity. It leaves out `attempt`, so a redelivery and a replayed
 * copy map to the same key, while two distinct events never do. Hashed to keep static data small.
 * The webhook and the execution (ledger.ts, from the emitted envelope) compute it the same way.
 */
export function deliveryKey(parts: {
	webhookId?: string;
	event: string;
	entityId?: string;
	eventTime?: number;
	entity?: unknown;
}): string {
	const entityHash = parts.eventTime === undefined ? createHash('sha256').update(canonical(parts.entity ?? {})).digest('base64url') : '';
	const identity = JSON.stringify([
		parts.webhookId ?? '',
		parts.event,
		parts.entityId ?? '',
		parts.eventTime ?? '',
		messageIdOf(parts.entity) ?? '',
		entityHash,
	]);
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
