import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../runtime';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationModule> = { getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['visitor'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the visitors of a Visitor History view',
				action: 'Get many visitors',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Set customer info fields on a visitor, found by email',
				action: 'Update a visitor',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
	...update.description,
];
