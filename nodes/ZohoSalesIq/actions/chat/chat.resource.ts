import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../runtime';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, OperationModule> = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the details of one chat',
				action: 'Get a chat',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List chats, newest first, optionally within a time range',
				action: 'Get many chats',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
