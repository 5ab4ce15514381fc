/**
 * Zoho SalesIQ sandbox: an emulated Zoho Accounts + SalesIQ API for tests, benchmarks and manual runs.
 * See docs/SANDBOX.md for the routes and docs/SANDBOX-DRIVING.md for the fault shape and the control API.
 */
import { Sandbox } from './server';
import type { SandboxOptions } from './server';

export { Sandbox, HOST } from './server';
export type { LoggedRequest, SandboxInfo, SandboxOptions } from './server';
export { ALL_SCOPES } from './oauth';
export { CONVERSATION_EVENTS, ADMINISTRATION_EVENTS } from './webhooks';
export type { DeliverOptions, DeliveryAttempt, DeliveryRecord, DeliveryResult, Webhook, WebhookKey } from './webhooks';
export { BOT_ACTIONS, BOT_HANDLERS, END_DELAY_SECONDS } from './bot-payloads';
export { CALLBACKS_SCOPE, DEFAULT_BOT_TIMEOUT_MS } from './bots';
export type { BotExchange, BotKey, CallbackCall, PlayOptions } from './bots';
export type { Fault, FaultKind, FaultState } from './faults';
export type { PushNotification } from './api-v1';
export { DOWNLOAD_LINK_TTL_MS } from './api-v1';
export { CHAT_SPAN_MS, Dataset } from './data';
export { conversationIdForChat } from './conversations';
export type {
	AddChatsOptions,
	App,
	AttachmentInfo,
	AttachmentMessage,
	Department,
	Operator,
	Portal,
	TranscriptEntry,
	TranscriptHeader,
	TranscriptMessage,
	V1Chat,
	Visitor,
} from './data';

/** Builds the dataset and listens on 127.0.0.1; resolves once the server accepts connections. */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return new Sandbox(options).listen();
}
