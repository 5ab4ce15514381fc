import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { handleRequest } from './trigger/delivery';
import { firstCopiesOnly } from './trigger/ledger';
import { DEFAULT_MAX_EVENT_AGE_HOURS } from './trigger/freshness';
import { EVENT_OPTIONS } from './trigger/events';
import { getPortals } from './methods/loadOptions';
import { portalField } from './actions/fields';
import { getApps } from './trigger/loadOptions';
import { createSubscription, deleteSubscription, subscriptionExists } from './trigger/subscription';

export class ZohoSalesIqTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho SalesIQ Trigger',
		name: 'zohoSalesIqTrigger',
		icon: { light: 'file:zohoSalesIq.svg', dark: 'file:zohoSalesIq.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when a Zoho SalesIQ conversation starts, ends, is missed or rated, or gets a reply',
		defaults: {
			name: 'Zoho SalesIQ Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'zohoSalesIqOAuth2Api',
				required: true,
			},
		],
		webhooks: [
			// Listed first: n8n registers webhooks in this order, and SalesIQ sends HEAD to the URL
			// while the POST webhook's create() runs, so the HEAD route must already be live.
			{
				name: 'setup',
				httpMethod: 'HEAD',
				responseMode: 'onReceived',
				path: 'webhook',
				ndvHideUrl: true,
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: [],
				description: 'The conversation events that start the workflow',
			},
			{
				displayName: 'Brand Names or IDs',
				name: 'appIds',
				type: 'multiOptions',
				typeOptions: {
					loadOptionsMethod: 'getApps',
					loadOptionsDependsOn: ['options.screenName'],
				},
				default: [],
				description:
					'Only conversations of these brands start the workflow. Leave empty for all brands. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					portalField('watch'),
					{
						displayName: 'Max Event Age (Hours)',
						name: 'maxEventAgeHours',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 8760 },
						default: DEFAULT_MAX_EVENT_AGE_HOURS,
						description:
							'Deliveries whose event_time is further than this from now are ignored, so a captured delivery cannot be replayed later. 0 turns the check off. Deliveries without an event_time are accepted.',
					},
					{
						displayName: 'Simplify',
						name: 'simplify',
						type: 'boolean',
						default: true,
						description:
							'Whether to put the most useful conversation fields first as flat, readable keys (visitor_name, question, operator_name, …). The raw entity is always in the entity field.',
					},
					{
						displayName: 'Verify Signature',
						name: 'verifySignature',
						type: 'boolean',
						default: true,
						description:
							'Whether to have SalesIQ sign every delivery and reject any request whose x-siqsignature does not match. Turn off only for testing.',
					},
					{
						displayName: 'Public Key',
						name: 'publicKey',
						type: 'string',
						typeOptions: { rows: 4 },
						default: '',
						placeholder: '-----BEGIN PUBLIC KEY-----',
						description:
							'The RSA public key shown in SalesIQ’s webhook settings, as a PEM block or Base64 text. Deliveries signed with it are accepted as well as those signed with the keys SalesIQ returns for the webhook. Only used with Verify Signature on.',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			getApps,
			getPortals,
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleRequest.call(this);
	}

	/** Runs inside the execution (on a worker in queue mode): lets only the first copy of a delivery through. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await firstCopiesOnly.call(this);
	}
}
