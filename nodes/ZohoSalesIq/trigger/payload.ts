import type { IDataObject } from 'n8n-workflow';

import { asText, fieldText, isRecord, toEpochMs, toIso } from '../shared/values';

/** A delivery as SalesIQ posts it (docs/ZOHO-API.md, Webhook subscriptions and deliveries), normalized: ids as strings, times as ms. */
export interface Delivery {
	event: string;
	/** Milliseconds since 1970, or undefined when SalesIQ sent none or garbage. */
	eventTime?: number;
	attempt: number;
	entityType?: string;
	entityId?: string;
	appId?: string;
	orgId?: string;
	webhookId?: string;
	version?: string;
	entity: IDataObject;
}

/**
 * Quotes integer literals too large for a double, so that ids such as 466756000000002043 keep every
 * digit. Zoho sent `app_id` as a bare number in one documented sample.
 */
function quoteUnsafeIntegers(text: string): string {
	let out = '';
	let copiedUpTo = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') {
			inString = true;
			continue;
		}
		if (c !== '-' && (c < '0' || c > '9')) continue;
		let end = i + (c === '-' ? 1 : 0);
		while (end < text.length && text[end] >= '0' && text[end] <= '9') end++;
		let tokenEnd = end;
		while (tokenEnd < text.length && /[0-9eE.+-]/.test(text[tokenEnd])) tokenEnd++;
		const literal = text.slice(i, end);
		if (tokenEnd === end && !Number.isSafeInteger(Number(literal)) && /\d{16,}/.test(literal)) {
			out += `${text.slice(copiedUpTo, i)}"${literal}"`;
			copiedUpTo = end;
		}
		i = tokenEnd - 1;
	}
	return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Parses the raw body. Returns undefined unless it is a JSON object. */
export function parseBody(raw: Buffer): IDataObject | undefined {
	let text = raw.toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	try {
		const parsed: unknown = JSON.parse(quoteUnsafeIntegers(text));
		return isRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** A time field Zoho sent (ms, as a number or text) as ISO 8601 text. */
function isoOf(value: unknown): string | undefined {
	return toIso(toEpochMs(value));
}

/** Reads a parsed body as a delivery. Returns undefined when it has no event name. */
export function readDelivery(body: IDataObject): Delivery | undefined {
	if (typeof body.event !== 'string' || body.event.trim() === '') return undefined;
	const attempt = Number(body.attempt);
	const webhook = isRecord(body.webhook) ? body.webhook : {};
	return {
		event: body.event.trim(),
		eventTime: toEpochMs(body.event_time),
		attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
		entityType: asText(body.entity_type),
		entityId: asText(body.entity_id),
		appId: asText(body.app_id),
		orgId: asText(body.org_id),
		webhookId: asText(webhook.id) ?? asText(body.webhook_id),
		version: asText(body.version),
		entity: isRecord(body.entity) ? body.entity : {},
	};
}

function child(value: unknown, key: string): unknown {
	return isRecord(value) ? value[key] : undefined;
}

/** The fields a builder reaches for first, as flat snake_case keys; absent fields are left out. */
function flatFields(delivery: Delivery): IDataObject {
	const { entity } = delivery;
	const visitor = entity.visitor;
	const operator = isRecord(entity.owner) ? entity.owner : entity.attender;
	const message = entity.message;
	const department = entity.department;
	const fields: Record<string, unknown> = {
		conversation_id: fieldText(entity.id) ?? delivery.entityId,
		reference_id: fieldText(entity.reference_id),
		question: fieldText(entity.question),
		// A live delivery's chat_status carries state_key/status_key and may have no label.
		status: fieldText(entity.status) ?? fieldText(child(entity.chat_status, 'label')) ?? fieldText(child(entity.chat_status, 'state_key')),
		visitor_id: fieldText(child(visitor, 'id')),
		visitor_name: fieldText(child(visitor, 'name')),
		visitor_email: fieldText(child(visitor, 'email_id')) ?? fieldText(child(visitor, 'email')),
		visitor_phone: fieldText(child(visitor, 'phone')),
		visitor_type: fieldText(child(visitor, 'type')),
		visitor_channel: fieldText(child(visitor, 'channel')),
		operator_id: fieldText(child(operator, 'id')),
		operator_name: fieldText(child(operator, 'name')),
		operator_email: fieldText(child(operator, 'email_id')) ?? fieldText(child(operator, 'email')),
		department_id: fieldText(entity.department_id) ?? fieldText(child(department, 'id')),
		department_name: fieldText(child(department, 'name')),
		opened_at: isoOf(entity.opened_time ?? entity.start_time),
		attended_at: isoOf(entity.attended_time),
		ended_at: isoOf(entity.end_time),
		missed_at: isoOf(entity.missed_time),
		rating: typeof entity.rating === 'number' ? entity.rating : fieldText(entity.rating),
		feedback: fieldText(entity.feedback),
		message_id: fieldText(child(message, 'msgid')) ?? fieldText(child(message, 'id')),
		message_text: fieldText(child(message, 'text')),
		message_sender_name: fieldText(child(child(message, 'sender'), 'name')),
		message_sender_type: fieldText(child(child(message, 'sender'), 'type')),
	};
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as IDataObject;
}

/**
 * One output item per delivery. The envelope is always there; Simplify puts the event name and the
 * readable conversation fields in front of it. `entity` is always the raw entity as SalesIQ sent it.
 */
export function toOutput(delivery: Delivery, simplify: boolean, webhookId: string | undefined): IDataObject {
	const envelope: IDataObject = {
		event: delivery.event,
		event_time: delivery.eventTime ?? null,
		event_time_iso: toIso(delivery.eventTime) ?? null,
		attempt: delivery.attempt,
		entity_type: delivery.entityType ?? null,
		entity_id: delivery.entityId ?? null,
		app_id: delivery.appId ?? null,
		org_id: delivery.orgId ?? null,
		webhook_id: delivery.webhookId ?? webhookId ?? null,
		entity: delivery.entity,
	};
	return simplify ? { event: delivery.event, ...flatFields(delivery), ...envelope } : envelope;
}
