import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationItem } from '../types';
import { replyFields } from './fields';
import { buildReply } from './payload';

export const option = {
	name: 'Build Reply',
	description: 'Make the JSON a bot answers with, for the last node of a real-time bot (no request is sent)',
	action: 'Build a bot reply',
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
