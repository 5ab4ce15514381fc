import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { validateBundleIds, validateEmail } from '../validation';
import { requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { appUserEmailField, bundleIdsField, PUSH_NOTIFICATION } from './fields';

export const option = {
	name: 'Clear Badge',
	description: 'Reset the app icon badge of a mobile app user to zero',
	action: 'Clear a push notification badge',
	toolDescription:
		'Resets the app icon badge to zero for one user of your mobile app. Inputs: the user\'s email as the app registered it, and the app\'s bundle IDs (comma-separated). Returns success.',
};

export const endpoints = { push: PUSH_NOTIFICATION };

export const properties: INodeProperties[] = [
	appUserEmailField,
	bundleIdsField,
	requestOptionsCollection(false),
];

export const writes = true;


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const email = validateEmail(this, this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
	const bundleIds = validateBundleIds(this, this.getNodeParameter('bundleIds', itemIndex), itemIndex);
	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, PUSH_NOTIFICATION, { qs: { email, badgecount: 0, bundleids: bundleIds.join(',') } });
	return [{ json: { success: true, result: (data ?? null) as string, email, bundleIds, badgeCount: 0 } }];
}
