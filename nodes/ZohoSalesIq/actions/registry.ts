import type { AllEntities } from 'n8n-workflow';

import * as attachmentDownload from './attachment/download.operation';
import * as attachmentGetAll from './attachment/getAll.operation';
import * as botBuildReply from './bot/buildReply.operation';
import * as botSendProgress from './bot/sendProgress.operation';
import * as botSendReply from './bot/sendReply.operation';
import * as chatGet from './chat/get.operation';
import * as chatGetAll from './chat/getAll.operation';
import * as pushNotificationClearBadge from './pushNotification/clearBadge.operation';
import * as pushNotificationSend from './pushNotification/send.operation';
import * as transcriptGet from './transcript/get.operation';
import type { OperationModule, ResourceDefinition } from './types';
import * as visitorGetAll from './visitor/getAll.operation';
import * as visitorUpdate from './visitor/update.operation';

/** Type-checks a resource: its default operation must be one of its operations. */
function resource<Ops extends Record<string, OperationModule>>(
	definition: Omit<ResourceDefinition, 'defaultOperation' | 'operations'> & { defaultOperation: Extract<keyof Ops, string>; operations: Ops },
) {
	return definition;
}

/**
 * Every resource and operation of the node: the only list. The node's description (Resource and
 * Operation options, each operation's fields), its methods and the router are all built from it,
 * so adding an operation means adding its file and one line here.
 */
export const registry = {
	chat: resource({
		name: 'Chat',
		description: 'Conversations between visitors and operators',
		defaultOperation: 'getAll',
		operations: { get: chatGet, getAll: chatGetAll },
	}),
	transcript: resource({
		name: 'Transcript',
		description: 'The messages of a chat',
		defaultOperation: 'get',
		operations: { get: transcriptGet },
	}),
	attachment: resource({
		name: 'Attachment',
		description: 'Files shared in a chat',
		defaultOperation: 'getAll',
		operations: { download: attachmentDownload, getAll: attachmentGetAll },
	}),
	visitor: resource({
		name: 'Visitor',
		description: 'People who visited your website or chatted',
		defaultOperation: 'getAll',
		operations: { getAll: visitorGetAll, update: visitorUpdate },
	}),
	pushNotification: resource({
		name: 'Push Notification',
		description: 'Notifications to users of your mobile app',
		defaultOperation: 'send',
		operations: { clearBadge: pushNotificationClearBadge, send: pushNotificationSend },
	}),
	bot: resource({
		name: 'Bot',
		description: 'Answers of a webhook bot (Zoho SalesIQ Bot Trigger)',
		defaultOperation: 'sendReply',
		operations: { buildReply: botBuildReply, sendProgress: botSendProgress, sendReply: botSendReply },
	}),
};

/** The resource selected in a new node. */
export const DEFAULT_RESOURCE: keyof typeof registry = 'chat';

/** Resource -> its operation values, as types. */
export type SalesIqMap = { [R in keyof typeof registry]: Extract<keyof (typeof registry)[R]['operations'], string> };

/** Every valid { resource, operation } pair. */
export type SalesIqEntity = AllEntities<SalesIqMap>;

/** The resource and operation modules of the registry, in registry order. */
export function registryEntries(): Array<{ resource: string; definition: ResourceDefinition }> {
	return Object.entries(registry).map(([key, definition]) => ({ resource: key, definition: definition as ResourceDefinition }));
}

/** The operation module for a resource and operation value, or undefined when there is none. */
export function findOperation(resource: string, operation: string): OperationModule | undefined {
	if (!Object.prototype.hasOwnProperty.call(registry, resource)) return undefined;
	const { operations } = registry[resource as keyof typeof registry] as ResourceDefinition;
	return Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation] : undefined;
}
