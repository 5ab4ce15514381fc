import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as attachment from './actions/attachment/attachment.resource';
import * as chat from './actions/chat/chat.resource';
import * as pushNotification from './actions/pushNotification/pushNotification.resource';
import { router } from './actions/router';
import * as transcript from './actions/transcript/transcript.resource';
import * as visitor from './actions/visitor/visitor.resource';
import { loadOptions } from './methods';

export class ZohoSalesIq implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho SalesIQ',
		name: 'zohoSalesIq',
		icon: { light: 'file:zohoSalesIq.svg', dark: 'file:zohoSalesIq.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Export chats, transcripts and attachments, update visitors and send push notifications with Zoho SalesIQ',
		defaults: { name: 'Zoho SalesIQ' },
		usableAsTool: true,
		// The older n8n-nodes-base rules still ask for the 'main' literal; NodeConnectionTypes is the current API.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-inputs-wrong-regular-node
		inputs: [NodeConnectionTypes.Main],
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'zohoSalesIqOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Attachment', value: 'attachment', description: 'Files shared in a chat' },
					{ name: 'Chat', value: 'chat', description: 'Conversations between visitors and operators' },
					{ name: 'Push Notification', value: 'pushNotification', description: 'Notifications to users of your mobile app' },
					{ name: 'Transcript', value: 'transcript', description: 'The messages of a chat' },
					{ name: 'Visitor', value: 'visitor', description: 'People who visited your website or chatted' },
				],
				default: 'chat',
			},
			...attachment.description,
			...chat.description,
			...pushNotification.description,
			...transcript.description,
			...visitor.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
