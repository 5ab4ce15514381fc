import type { INodeProperties } from 'n8n-workflow';

import { portalField, timeoutOption } from '../actions/fields';
import { DEFAULT_LOOK_BACK_HOURS, DEFAULT_PAGE_BUDGET, MAX_LOOK_BACK_HOURS, MAX_PAGE_BUDGET } from './config';
import { POLL_EVENT_OPTIONS } from './events';

/** The Poll Trigger's fields. n8n adds its standard Poll Times field in front of them. */
export const pollTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: POLL_EVENT_OPTIONS,
		default: [],
		description: 'The chat events that start the workflow. Each chat fires each chosen event once.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Brand Names or IDs',
				name: 'brandIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getApps', loadOptionsDependsOn: ['options.screenName'] },
				default: [],
				description:
					'Only chats of these brands (the chat\'s embed_id). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Departments',
				name: 'departments',
				type: 'string',
				default: '',
				placeholder: 'Sales, 4489000000002013',
				description: "Only chats of these departments: names or IDs, separated by commas (matched against the chat's department_name and department_ID)",
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Look-Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_LOOK_BACK_HOURS },
				default: DEFAULT_LOOK_BACK_HOURS,
				description:
					'How long after its start a chat is watched for Chat Ended and Chat Missed. A chat that ends later than this is not reported.',
			},
			{
				displayName: 'Page Budget',
				name: 'pageBudget',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PAGE_BUDGET },
				default: DEFAULT_PAGE_BUDGET,
				description:
					'The most requests (pages of up to 100 chats) one poll makes. When more is new, the next poll carries on where this one stopped, losing nothing.',
			},
			portalField('watch'),
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'dateTime',
				default: '',
				description:
					'Report chats started at or after this time, back-filling older ones on the first polls. Empty: start from the activation. Changing it starts over from the new time.',
			},
			timeoutOption,
		],
	},
];
