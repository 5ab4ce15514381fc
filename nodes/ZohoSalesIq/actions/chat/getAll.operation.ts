import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseTime, validateTimeRange } from '../time';
import { validateLimit } from '../validation';
import { limitField, requestOptionsCollection, returnAllField } from '../fields';
import { itemsOfPages, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { CHAT_LIST, chatPages } from './list';

export const option = {
	name: 'Get Many',
	description: 'List chats, newest first, optionally within a time range',
	action: 'Get many chats',
	toolDescription:
		'Lists Zoho SalesIQ chats, newest first. Inputs: limit, the most chats to return; optionally a From Time and To Time (ISO 8601) that the chat start must fall between. Returns one item per chat: chat_id, question, visitor_name, visitor_email, attender_name, department_name, chatinitiated_time (ms since 1970, as text) and missed_time (set only for missed chats, which have no transcript).',
};

export const endpoints = { chats: CHAT_LIST };

export const properties: INodeProperties[] = [
	returnAllField('chat'),
	limitField(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'From Time',
				name: 'fromTime',
				type: 'dateTime',
				default: '',
				description: 'Only chats started at or after this time (in the workflow time zone unless the value has one)',
			},
			{
				displayName: 'To Time',
				name: 'toTime',
				type: 'dateTime',
				default: '',
				description: 'Only chats started at or before this time (in the workflow time zone unless the value has one)',
			},
		],
	},
	requestOptionsCollection(true),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : validateLimit(this, this.getNodeParameter('limit', itemIndex, 50), itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const timeZone = this.getTimezone();
	const fromTime = parseTime(this, filters.fromTime, 'From Time', itemIndex, timeZone);
	const toTime = parseTime(this, filters.toTime, 'To Time', itemIndex, timeZone);
	validateTimeRange(this, fromTime, toTime, itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);

	const pages = chatPages.call(this, settings, { fromTime, toTime, limit });
	return await itemsOfPages(pages, (chat) => chat);
}
