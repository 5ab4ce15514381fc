import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { requireText, validateId } from '../validation';
import { requestIdField } from './fields';

export const option = {
	name: 'Send Progress',
	description: 'Tell the visitor how a pending bot request is going',
	action: 'Send a bot progress message',
	toolDescription:
		'Tells the visitor how a pending Zoho SalesIQ bot request is going. Inputs: the request ID (from the Bot Trigger in pending mode) and the text to show. Returns success, requestId, the text sent and SalesIQ\'s result. Each call sends once.',
};

export const endpoints = {
	progress: { method: 'POST', version: 'v2', path: '/callbacks/{requestId}/progress', scope: 'SalesIQ.callbacks.UPDATE' },
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	requestIdField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Still checking your order…',
		description: 'What the visitor sees while the bot works; the chat stays pending',
	},
	requestOptionsCollection(false),
];

export const writes = true;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const requestId = validateId(this, this.getNodeParameter('requestId', itemIndex), 'Request ID', itemIndex);
	const text = requireText(this, this.getNodeParameter('text', itemIndex), 'Text', itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, endpoints.progress, { params: { requestId }, body: { text } });
	return [{ json: { success: true, requestId, text, result: (data ?? null) as string } }];
}
