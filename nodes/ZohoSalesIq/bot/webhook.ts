import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { headerValue, MAX_BODY_BYTES, rawBodyOf, respond } from '../trigger/delivery';
import { parseBody } from '../trigger/payload';
import { isValidSignature, SIGNATURE_HEADER } from '../trigger/signature';
import { readBotRequest } from './request';

/** How the Bot Trigger answers SalesIQ. */
export type BotResponseMode = 'lastNode' | 'pending';

/** The answer for a handler the trigger does not run: the bot says nothing and keeps the chat. */
export const EMPTY_REPLY = { action: 'reply', replies: [] as string[] };

export const DEFAULT_WAITING_TEXT = 'One moment, please…';

/** Writes a JSON answer and tells n8n that the node already responded. */
function answer(ctx: IWebhookFunctions, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	const res = ctx.getResponseObject();
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
	res.end(text);
}

/**
 * Handles one request to the Bot Trigger's URL. HEAD (SalesIQ's URL check) and a POST that is not a
 * bot request (its ping when the URL is saved) get 200 and start nothing. A bot request must be signed
 * when a public key is set (401 otherwise). A handler the trigger does not run gets an empty
 * reply at once; a chosen one starts the workflow, which answers (Last Node mode), or the trigger
 * answers `pending` at once and the workflow replies through the callbacks API later.
 */
export async function handleBotRequest(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getWebhookName() === 'setup') return respond(this, 200);

	const req = this.getRequestObject();
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return respond(this, 413, 'Payload too large');
	const raw = await rawBodyOf(this);
	if (raw !== undefined && raw.length > MAX_BODY_BYTES) return respond(this, 413, 'Payload too large');
	// SalesIQ pings the URL when it is saved, in a form Zoho does not show: anything that is not a bot
	// request gets 200 and starts nothing, so that the check passes whether or not it is signed.
	const body = raw === undefined ? undefined : parseBody(raw);
	const request = body === undefined ? undefined : readBotRequest(body);
	if (raw === undefined || request === undefined) {
		answer(this, 200, {});
		return { noWebhookResponse: true };
	}

	const publicKey = String(this.getNodeParameter('publicKey', '')).trim();
	if (publicKey !== '') {
		const signature = headerValue(req.headers[SIGNATURE_HEADER]);
		if (signature === undefined) return respond(this, 401, 'Missing signature');
		if (!isValidSignature(raw, signature, [publicKey])) return respond(this, 401, 'Invalid signature');
	}

	const handlers = (this.getNodeParameter('handlers', []) as unknown[]).map(String);
	if (!handlers.includes(request.handler)) {
		answer(this, 200, EMPTY_REPLY);
		return { noWebhookResponse: true };
	}

	const workflowData = [[{ json: request }]];
	if ((this.getNodeParameter('responseMode', 'lastNode') as BotResponseMode) !== 'pending') return { workflowData };

	const waiting = String(this.getNodeParameter('waitingText', DEFAULT_WAITING_TEXT)).trim();
	const pending: IDataObject = { action: 'pending', replies: waiting === '' ? [] : [waiting] };
	answer(this, 200, pending);
	return { workflowData, noWebhookResponse: true };
}
