import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../runtime';
import * as clearBadge from './clearBadge.operation';
import * as send from './send.operation';

export const operations: Record<string, OperationModule> = { clearBadge, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pushNotification'] } },
		options: [
			{
				name: 'Clear Badge',
				value: 'clearBadge',
				description: 'Reset the app icon badge of a mobile app user to zero',
				action: 'Clear a push notification badge',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send a push notification to a user of your mobile app',
				action: 'Send a push notification',
			},
		],
		default: 'send',
	},
	...clearBadge.description,
	...send.description,
];
