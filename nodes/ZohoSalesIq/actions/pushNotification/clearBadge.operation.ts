import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { validateBundleIds, validateEmail } from '../validation';
import { requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import { bundleIdsField, emailField } from './fields';

const properties: INodeProperties[] = [
	emailField,
	bundleIdsField,
	requestOptionsCollection(false),
];

export const writes = true;

export const description = updateDisplayOptions(
	{ show: { resource: ['pushNotification'], operation: ['clearBadge'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number, out: INodeExecutionData[]): Promise<void> {
	const email = validateEmail(this, this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
	const bundleIds = validateBundleIds(this, this.getNodeParameter('bundleIds', itemIndex), itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, {
		method: 'POST',
		version: 'v1',
		path: '/pushnotification',
		qs: { email, badgecount: 0, bundleids: bundleIds.join(',') },
	});
	out.push({
		json: { success: true, result: (data ?? null) as string, email, bundleIds, badgeCount: 0 },
		pairedItem: { item: itemIndex },
	});
}
