import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { transportError } from '../../transport/errors';
import { entryHash, startKeyPages } from '../../transport/paging';
import type { Endpoint } from '../../transport/types';
import { validateLimit, validateViewId } from '../validation';
import { limitField, requestOptionsCollection, returnAllField } from '../fields';
import { apiRequest, readRequestSettings, itemsOfPages } from '../runtime';
import type { OperationItem } from '../types';

export const option = {
	name: 'Get Many',
	description: 'List the visitors of a Visitor History view',
	action: 'Get many visitors',
	toolDescription:
		'Lists visitors of your website from a Zoho SalesIQ Visitor History view. Inputs: the view (All Visitors, Returning Visitors or a saved view ID) and limit, the most visitors to return. Returns one item per visitor: id, name, email, lastvisit_time, leadscore and customer_info.',
};

export const endpoints = {
	visitors: { method: 'GET', version: 'v1', path: '/visitorsview/{viewId}/visitors', scope: 'SalesIQ.visitordetails.READ' },
} satisfies Record<string, Endpoint>;

export const properties: INodeProperties[] = [
	{
		displayName: 'View',
		name: 'viewId',
		type: 'options',
		options: [
			{ name: 'All Visitors', value: '-1', description: 'Every visitor in Visitor History' },
			{ name: 'Returning Visitors', value: '-2', description: 'Visitors who came back more than once' },
		],
		default: '-1',
		description:
			'The Visitor History view to list. For a saved view, switch to Expression and enter its numeric ID.',
	},
	returnAllField('visitor'),
	limitField(),
	requestOptionsCollection(true),
];


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const viewId = validateViewId(this, this.getNodeParameter('viewId', itemIndex), itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : validateLimit(this, this.getNodeParameter('limit', itemIndex, 50), itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const node = this.getNode();

	const pages = startKeyPages<IDataObject>({
		node,
		itemIndex,
		limit,
		noun: 'visitors',
		keyOf: (visitor) => (typeof visitor.id === 'string' || typeof visitor.id === 'number' ? `id:${visitor.id}` : entryHash(visitor)),
		// The v1 visitor list has no page-size parameter: every page holds up to 100 visitors.
		fetchPage: async (startKey) => {
			const qs: IDataObject = startKey === undefined ? {} : { startkey: startKey };
			const data = (await apiRequest.call(this, settings, endpoints.visitors, { params: { viewId }, qs })) as IDataObject;
			const list = data?.visitorlist;
			if (typeof data !== 'object' || data === null || (list !== undefined && !Array.isArray(list))) {
				throw transportError(node, 'SalesIQ sent an unexpected page of visitors', 'The "visitorlist" of a page was not a list.', {
					itemIndex,
					reason: 'malformed',
				});
			}
			const nextKey = data.startkey === undefined || data.startkey === null || data.startkey === '' ? undefined : String(data.startkey);
			return { entries: (list ?? []) as IDataObject[], nextKey };
		},
	});
	return await itemsOfPages(pages, (visitor) => visitor);
}
