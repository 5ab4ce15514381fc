import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IHookFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { DEFAULT_WAITING_TEXT, handleBotRequest } from './bot/webhook';

export class ZohoSalesIqBotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho SalesIQ Bot Trigger',
		name: 'zohoSalesIqBotTrigger',
		icon: { light: 'file:zohoSalesIq.svg', dark: 'file:zohoSalesIq.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["responseMode"] === "pending" ? "Pending, then Send Reply" : "Reply from last node" }}',
		description: 'Answers website visitors as a Zoho SalesIQ webhook bot (Zobot), in real time or through callbacks',
		defaults: {
			name: 'Zoho SalesIQ Bot Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'setup',
				httpMethod: 'HEAD',
				responseMode: 'onReceived',
				path: 'bot',
				ndvHideUrl: true,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{ $parameter["responseMode"] === "pending" ? "onReceived" : "lastNode" }}',
				path: 'bot',
			},
		],
		properties: [
			{
				displayName:
					'In SalesIQ, go to Settings > Bot > Zobot > Add, choose the platform Webhook and paste the production URL above. It must be public HTTPS without a port: set n8n\'s WEBHOOK_URL accordingly.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Handlers',
				name: 'handlers',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Context (Answers to Questions)',
						value: 'context',
						description: 'The visitor answered a set of questions the bot asked with a context action',
					},
					{
						name: 'Message',
						value: 'message',
						description: 'The visitor sent a message',
					},
					{
						name: 'Trigger (Visitor Lands)',
						value: 'trigger',
						description: 'A visitor matched the bot\'s trigger rules on the website',
					},
				],
				default: ['message'],
				description: 'Which SalesIQ requests start the workflow. The others get an empty reply at once.',
			},
			{
				displayName: 'Response Mode',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'Reply From Last Node',
						value: 'lastNode',
						description:
							'The workflow answers in real time: end it with Zoho SalesIQ > Bot > Build Reply. SalesIQ waits about 5 seconds.',
					},
					{
						name: 'Pending, Then Reply With the Bot Resource',
						value: 'pending',
						description:
							'The trigger answers "pending" at once; the workflow replies later with Zoho SalesIQ > Bot > Send Reply (within about 3 minutes)',
					},
				],
				default: 'lastNode',
				description: 'How the workflow answers the visitor',
			},
			{
				displayName: 'Waiting Text',
				name: 'waitingText',
				type: 'string',
				default: DEFAULT_WAITING_TEXT,
				displayOptions: { show: { responseMode: ['pending'] } },
				description: 'What the visitor sees while the workflow works. Leave empty to show nothing.',
			},
			{
				displayName: 'Public Key',
				name: 'publicKey',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				placeholder: '-----BEGIN PUBLIC KEY-----',
				description:
					'The key SalesIQ shows when "Secure your webhook" is on in the bot\'s settings. When set, every request must carry a valid signature; anything else gets 401 and starts nothing.',
			},
		],
	};

	// No SalesIQ API creates a bot or sets its webhook URL: the URL is entered in SalesIQ's bot settings. So the
	// lifecycle has nothing to register, check or delete: the webhook counts as existing, and activation and
	// deactivation change nothing at SalesIQ.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleBotRequest.call(this);
	}
}
