import type { IDataObject } from 'n8n-workflow';

/** A delivery as SalesIQ posts it (salesiq-api.md 6.4), normalized: ids as strings, times as ms. */
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

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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
		return isObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function asId(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() || undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

export function toMs(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = Number(value);
	return Number.isFinite(ms) && ms > 0 ? Math.trunc(ms) : undefined;
}

export function toIso(value: unknown): string | undefined {
	const ms = toMs(value);
	if (ms === undefined) return undefined;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Reads a parsed body as a delivery. Returns undefined when it has no event name. */
export function readDelivery(body: IDataObject): Delivery | undefined {
	if (typeof body.event !== 'string' || body.event.trim() === '') return undefined;
	const attempt = Number(body.attempt);
	const webhook = isObject(body.webhook) ? body.webhook : {};
	return {
		event: body.event.trim(),
		eventTime: toMs(body.event_time),
		attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
		entityType: asId(body.entity_type),
		entityId: asId(body.entity_id),
		appId: asId(body.app_id),
		orgId: asId(body.org_id),
		webhookId: asId(webhook.id) ?? asId(body.webhook_id),
		version: asId(body.version),
		entity: isObject(body.entity) ? body.entity : {},
	};
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function child(value: unknown, key: string): unknown {
	return isObject(value) ? value[key] : undefined;
}

/** The fields a builder reaches for first, as flat snake_case keys; absent fields are left out. */
function flatFields(delivery: Delivery): IDataObject {
	const { entity } = delivery;
	const visitor = entity.visitor;
	const operator = isObject(entity.owner) ? entity.owner : entity.attender;
	const message = entity.message;
	const department = entity.department;
	const fields: Record<string, unknown> = {
		conversation_id: text(entity.id) ?? delivery.entityId,
		reference_id: text(entity.reference_id),
		question: text(entity.question),
		status: text(entity.status) ?? text(child(entity.chat_status, 'label')),
		visitor_id: text(child(visitor, 'id')),
		visitor_name: text(child(visitor, 'name')),
		visitor_email: text(child(visitor, 'email_id')) ?? text(child(visitor, 'email')),
		visitor_phone: text(child(visitor, 'phone')),
		visitor_type: text(child(visitor, 'type')),
		visitor_channel: text(child(visitor, 'channel')),
		operator_id: text(child(operator, 'id')),
		operator_name: text(child(operator, 'name')),
		operator_email: text(child(operator, 'email_id')) ?? text(child(operator, 'email')),
		department_id: text(entity.department_id) ?? text(child(department, 'id')),
		department_name: text(child(department, 'name')),
		opened_at: toIso(entity.opened_time ?? entity.start_time),
		attended_at: toIso(entity.attended_time),
		ended_at: toIso(entity.end_time),
		missed_at: toIso(entity.missed_time),
		rating: typeof entity.rating === 'number' ? entity.rating : text(entity.rating),
		feedback: text(entity.feedback),
		message_id: text(child(message, 'msgid')) ?? text(child(message, 'id')),
		message_text: text(child(message, 'text')),
		message_sender_name: text(child(child(message, 'sender'), 'name')),
		message_sender_type: text(child(child(message, 'sender'), 'type')),
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
