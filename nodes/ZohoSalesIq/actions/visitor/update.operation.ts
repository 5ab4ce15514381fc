import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shown } from '../../transport/errors';
import type { Endpoint } from '../../transport/types';
import { parseJsonObject, validateEmail } from '../validation';
import { requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';

export const option = {
	name: 'Update',
	description: 'Set customer info fields on a visitor, found by email',
	action: 'Update a visitor',
};

export const endpoints = {
	visitor: { method: 'PUT', version: 'v1', path: '/visitorsbyemail/{email}', scope: 'SalesIQ.visitordetails.UPDATE' },
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Email address of the visitor to update. SalesIQ must already know a visitor with this email.',
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


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const email = validateEmail(this, this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
	const pairs = this.getNodeParameter('customerInfo.field', itemIndex, []) as Array<{ key?: string; value?: unknown }>;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fromJson = parseJsonObject(this, options.customerInfoJson, 'Customer Info (JSON)', itemIndex);
	const node = this.getNode();

	const info: Record<string, string> = {};
	const put = (key: string, value: unknown, field: string) => {
		const name = key.trim();
		if (!name) throw new NodeOperationError(node, `${field} has a field without a key`, { itemIndex });
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

	const settings = readRequestSettings.call(this, itemIndex);
	await apiRequest.call(this, settings, endpoints.visitor, { params: { email }, qs: { customerinfo: JSON.stringify(info) } });
	return [{ json: { email, customerInfo: info } }];
}
