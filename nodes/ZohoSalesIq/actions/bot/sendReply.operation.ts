import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { validateId } from '../validation';
import { replyFields, requestIdField } from './fields';
import { buildReply } from './payload';

export const option = {
	name: 'Send Reply',
	description: 'Answer a pending bot request: reply, forward to a human or end the chat',
	action: 'Send a bot reply',
	toolDescription:
		'Answers a pending Zoho SalesIQ bot request. Inputs: the request ID (from the Bot Trigger in pending mode), the action (reply, forward to a human, or end the chat), the reply text, more replies and suggestions, and for a forward the department and operators. Returns success, requestId, the response sent and SalesIQ\'s result. Each call sends once.',
};

export const endpoints = {
	response: { method: 'POST', version: 'v2', path: '/callbacks/{requestId}/response', scope: 'SalesIQ.callbacks.UPDATE' },
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [requestIdField, ...replyFields, requestOptionsCollection(false)];

export const writes = true;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const requestId = validateId(this, this.getNodeParameter('requestId', itemIndex), 'Request ID', itemIndex);
	const response = buildReply(this, itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, endpoints.response, { params: { requestId }, body: response });
	return [{ json: { success: true, requestId, response, result: (data ?? null) as string } }];
}
