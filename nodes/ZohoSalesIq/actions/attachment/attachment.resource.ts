import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../runtime';
import * as download from './download.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, OperationModule> = { download, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Download a file shared in a chat as binary data',
				action: 'Download an attachment',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the files shared in a chat',
				action: 'Get many attachments',
			},
		],
		default: 'getAll',
	},
	...download.description,
	...getAll.description,
];
