import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { shown } from '../../transport/errors';
import type { Endpoint } from '../../transport/types';
import { chatRefOf } from '../chatRef';
import { fail, parseJsonObject, validateEmail, validateId } from '../validation';
import { isWrongMethod } from '../../transport/writes';
import { emailField, requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';

export const option = {
	name: 'Update',
	description: 'Set customer info fields on a visitor, found by email, or on one of its conversations',
	action: 'Update a visitor',
	toolDescription:
		'Saves customer information on the Zoho SalesIQ visitor with an email address, or on one of its conversations (Identify Visitor By). Inputs: the visitor\'s email or the conversation ID and the fields to set (names and text values; other fields are kept). Returns email and the customerInfo that was saved.',
};

export const endpoints = {
	visitor: { method: 'PUT', version: 'v1', path: '/visitorsbyemail/{email}', scope: 'SalesIQ.visitordetails.UPDATE' },
	/** Custom info of one conversation: `{"customer_info": {...}}` in a JSON body. */
	conversation: { method: 'PUT', version: 'v2', path: '/conversations/{conversationId}', scope: 'SalesIQ.conversations.UPDATE' },
	/** The same request by POST, sent once when SalesIQ refuses PUT (1004 or HTTP 405). */
	visitorByPost: { method: 'POST', version: 'v1', path: '/visitorsbyemail/{email}', scope: 'SalesIQ.visitordetails.UPDATE' },
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	{
		displayName: 'Identify Visitor By',
		name: 'identifyBy',
		type: 'options',
		default: 'email',
		options: [
			{
				name: 'Email',
				value: 'email',
				description: 'The visitor’s email address: sets the visitor’s customer info (v1 API)',
			},
			{
				name: 'Conversation ID',
				value: 'conversationId',
				description: 'One of the visitor’s conversations, such as the trigger’s conversation_id: sets that conversation’s customer info (v2 API)',
			},
		],
		description: 'How to find the visitor',
	},
	{
		...emailField('Email address of the visitor to update. SalesIQ must already know a visitor with this email.'),
		displayOptions: { show: { identifyBy: ['email'] } },
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		placeholder: '19000000033103',
		required: true,
		default: '',
		displayOptions: { show: { identifyBy: ['conversationId'] } },
		description: 'The conversation ID (12 or more digits), for example the conversation_id of the trigger',
		hint: 'Every field sent this way becomes a custom field of the conversation. A name, email or phone sent here does not change the visitor’s own name, email or phone.',
	},
	{
		displayName: 'Customer Info',
		name: 'customerInfo',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field',
		default: {},
		description: 'Fields to set in the visitor’s customer info. Existing fields with other names are kept.',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: 'plan',
						description: 'Name of the customer info field',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'premium',
						description: 'Value to store; SalesIQ keeps every value as text',
					},
				],
			},
		],
	},
	requestOptionsCollection(false, [
		{
			displayName: 'Customer Info (JSON)',
			name: 'customerInfoJson',
			type: 'json',
			default: '{}',
			description:
				'More customer info as a JSON object of text values, for example {"plan": "premium", "crm_id": "123"}. It is merged over the fields above.',
		},
	]),
];

export const writes = true;

/** A conversation ID for Conversation ID: only the long v2 id, since the update exists in v2 only. */
function readConversationId(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string {
	const id = validateId(ctx, value, 'Conversation ID', itemIndex);
	if (chatRefOf(id).kind !== 'conversation') {
		fail(
			ctx,
			itemIndex,
			`Conversation ID "${shown(id)}" is not a conversation ID`,
			'A conversation ID has 12 or more digits, such as the conversation_id of the trigger. A short v1 chat id cannot be used here: identify the visitor by email instead.',
		);
	}
	return id;
}


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const byConversation = this.getNodeParameter('identifyBy', itemIndex, 'email') === 'conversationId';
	const email = byConversation ? '' : validateEmail(this, this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
	const conversationId = byConversation ? readConversationId(this, this.getNodeParameter('conversationId', itemIndex), itemIndex) : '';
	const pairs = this.getNodeParameter('customerInfo.field', itemIndex, []) as Array<{ key?: string; value?: unknown }>;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fromJson = parseJsonObject(this, options.customerInfoJson, 'Customer Info (JSON)', itemIndex);
	const node = this.getNode();

	const info: Record<string, string> = {};
	const put = (key: string, value: unknown, field: string) => {
		const name = key.trim();
		if (!name) throw new NodeOperationError(node, `${field} has a field without a key`, { itemIndex });
		if (name === '__proto__') {
			throw new NodeOperationError(node, `${field}: the key "__proto__" is not allowed`, {
				itemIndex,
				description: 'JavaScript reserves this name, so the field could not be sent as entered. Rename the key.',
			});
		}
		if (value !== null && typeof value === 'object') {
			throw new NodeOperationError(node, `${field}: the value of "${shown(name)}" must be text, a number or true/false`, {
				itemIndex,
				description: 'SalesIQ stores customer info as text values; nested objects and lists are not accepted.',
			});
		}
		info[name] = value === undefined || value === null ? '' : String(value);
	};
	for (const pair of pairs) put(String(pair.key ?? ''), pair.value, 'Customer Info');
	for (const [key, value] of Object.entries(fromJson)) put(key, value, 'Customer Info (JSON)');
	if (Object.keys(info).length === 0) {
		throw new NodeOperationError(node, 'Customer Info is empty', {
			itemIndex,
			description: 'Add at least one field under Customer Info or in Options > Customer Info (JSON).',
		});
	}

	const settings = readRequestSettings.call(this, itemIndex, options);
	if (byConversation) {
		await apiRequest.call(this, settings, endpoints.conversation, { params: { conversationId }, body: { customer_info: info } });
		return [{ json: { conversationId, customerInfo: info } }];
	}
	const call = { params: { email }, qs: { customerinfo: JSON.stringify(info) } };
	try {
		await apiRequest.call(this, settings, endpoints.visitor, call);
	} catch (error) {
		// Zoho's page names the method "UPDATE". A wrong method writes nothing, so POST is tried once.
		if (!isWrongMethod(error)) throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		await apiRequest.call(this, settings, endpoints.visitorByPost, call);
	}
	return [{ json: { email, customerInfo: info } }];
}
