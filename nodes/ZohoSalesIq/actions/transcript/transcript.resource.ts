import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../runtime';
import * as get from './get.operation';

export const operations: Record<string, OperationModule> = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transcript'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the messages of a chat, or the whole conversation as text',
				action: 'Get a chat transcript',
			},
		],
		default: 'get',
	},
	...get.description,
];
