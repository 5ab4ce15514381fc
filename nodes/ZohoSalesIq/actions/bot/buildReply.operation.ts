import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationItem } from '../types';
import { replyFields } from './fields';
import { buildReply } from './payload';

export const option = {
	name: 'Build Reply',
	description: 'Make the JSON a bot answers with, for the last node of a real-time bot (no request is sent)',
	action: 'Build a bot reply',
	toolDescription:
		'Builds the JSON answer of a real-time Zoho SalesIQ bot, without sending anything. Inputs: the action (reply, forward to a human, or end the chat), the reply text, more replies, suggestions, and for a forward the department and operators. Returns the reply object, for the workflow\'s last node to answer the bot request with.',
};

/** Builds JSON only: no SalesIQ call. */
export const endpoints = {};

export const properties: INodeProperties[] = [
	{
		displayName:
			'End a Zoho SalesIQ Bot Trigger workflow in "Reply From Last Node" mode with this node: SalesIQ receives its output as the bot\'s answer.',
		name: 'buildReplyNotice',
		type: 'notice',
		default: '',
	},
	...replyFields,
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	return [{ json: buildReply(this, itemIndex) }];
}
