import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { deliveryKey, rememberDelivery } from './dedup';
import { claimInProcess } from './ledger';
import { staleness } from './freshness';
import { parseBody, readDelivery, toOutput } from './payload';
import { verificationKeys } from './keys';
import { isValidSignature, SIGNATURE_HEADER } from './signature';

/** Deliveries larger than this are refused before they are parsed or verified. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Writes a short answer and tells n8n that the node already responded and nothing runs. */
export function respond(ctx: IWebhookFunctions, status: number, message?: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	const body = message === undefined ? '' : JSON.stringify({ message });
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(body)),
	});
	res.end(body);
	return { noWebhookResponse: true };
}

export function headerValue(value: string | string[] | undefined): string | undefined {
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/**
 * The bytes SalesIQ sent. n8n reads them into `req.rawBody` before it calls the node (and parses
 * JSON into `req.body` from the same bytes); `readRawBody()` covers a runtime that reads lazily.
 */
export async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer | undefined> {
	const req = ctx.getRequestObject();
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

/**
 * Handles one request to the trigger's URL. HEAD (SalesIQ's URL check) gets 200. A POST runs the
 * workflow only when it is within the size limit, correctly signed (unless verification is off),
 * a chosen event, and not seen before; everything else is answered without an execution.
 */
export async function handleRequest(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getWebhookName() === 'setup') return respond(this, 200);

	const req = this.getRequestObject();
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return respond(this, 413, 'Payload too large');

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const verify = options.verifySignature !== false;
	const staticData = this.getWorkflowStaticData('node');
	const raw = await rawBodyOf(this);
	if (raw !== undefined && raw.length > MAX_BODY_BYTES) return respond(this, 413, 'Payload too large');

	let body: IDataObject | undefined;
	if (verify) {
		const signature = headerValue(req.headers[SIGNATURE_HEADER]);
		if (signature === undefined) return respond(this, 401, 'Missing signature');
		if (raw === undefined || !isValidSignature(raw, signature, verificationKeys(staticData, options))) {
			return respond(this, 401, 'Invalid signature');
		}
		body = parseBody(raw);
	} else {
		body = raw !== undefined ? parseBody(raw) : this.getBodyData();
	}

	const delivery = body === undefined ? undefined : readDelivery(body);
	if (delivery === undefined) return respond(this, 400, 'Not a SalesIQ webhook delivery');

	const events = (this.getNodeParameter('events', []) as unknown[]).map(String);
	if (!events.includes(delivery.event)) return respond(this, 200, 'Event not selected in this trigger; ignored');

	const stale = staleness(delivery.eventTime, options.maxEventAgeHours);
	if (stale !== undefined) return respond(this, 200, stale);

	const webhookId = delivery.webhookId ?? (typeof staticData.webhookId === 'string' ? staticData.webhookId : undefined);
	const key = deliveryKey({ webhookId, event: delivery.event, entityId: delivery.entityId, eventTime: delivery.eventTime, entity: delivery.entity });
	const scope = `${this.getWorkflow().id ?? ''}:${this.getNodeWebhookUrl('default') ?? this.getNode().id}`;
	if (!claimInProcess(scope, key) || !rememberDelivery(staticData, key)) {
		return respond(this, 200, 'Duplicate delivery; already processed');
	}

	const simplify = options.simplify !== false;
	return { workflowData: [[{ json: toOutput(delivery, simplify, webhookId) }]] };
}
