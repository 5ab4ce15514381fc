import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MAX_BADGE_COUNT, parseJsonObject, requireText, validateBadgeCount, validateBundleIds, validateEmail } from '../validation';
import { requestOptionsCollection } from '../fields';
import { apiRequest, readRequestSettings } from '../runtime';
import type { OperationItem } from '../types';
import { appUserEmailField, bundleIdsField, PUSH_NOTIFICATION } from './fields';

export const option = {
	name: 'Send',
	description: 'Send a push notification to a user of your mobile app',
	action: 'Send a push notification',
	toolDescription:
		'Sends a push notification to one user of your mobile app (not to website visitors). Inputs: the user\'s email as the app registered it, title, message, the app\'s bundle IDs (comma-separated) and the badge count to add. Returns success and what was sent. Each call sends once.',
};

export const endpoints = { push: PUSH_NOTIFICATION };

export const properties: INodeProperties[] = [
	appUserEmailField,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Your order has shipped',
		description: 'Title of the notification',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'Body text of the notification',
	},
	bundleIdsField,
	{
		displayName: 'Badge Count',
		name: 'badgeCount',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: MAX_BADGE_COUNT },
		default: 1,
		description: 'Number added to the app icon badge the SDK already shows',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Additional Info (JSON)',
				name: 'additionalInfo',
				type: 'json',
				default: '{}',
				description: 'Extra data for your app as a JSON object, sent as addinfo',
			},
			{
				displayName: 'Image Path',
				name: 'imagePath',
				type: 'string',
				default: '',
				placeholder: 'https://www.example.com/banner.png',
				description: 'URL of an image to show in the notification (sent as addinfo.imgpath)',
			},
		],
	},
	requestOptionsCollection(false),
];

export const writes = true;


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationItem[]> {
	const email = validateEmail(this, this.getNodeParameter('email', itemIndex), 'Email', itemIndex);
	const title = requireText(this, this.getNodeParameter('title', itemIndex), 'Title', itemIndex);
	const message = requireText(this, this.getNodeParameter('message', itemIndex), 'Message', itemIndex);
	const bundleIds = validateBundleIds(this, this.getNodeParameter('bundleIds', itemIndex), itemIndex);
	const badgeCount = validateBadgeCount(this, this.getNodeParameter('badgeCount', itemIndex, 1), itemIndex);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const addInfo = parseJsonObject(this, additionalFields.additionalInfo, 'Additional Info (JSON)', itemIndex);
	const imagePath = typeof additionalFields.imagePath === 'string' ? additionalFields.imagePath.trim() : '';
	if (imagePath) addInfo.imgpath = imagePath;

	const qs: IDataObject = { email, title, message, badgecount: badgeCount, bundleids: bundleIds.join(',') };
	if (Object.keys(addInfo).length > 0) qs.addinfo = JSON.stringify(addInfo);

	const settings = readRequestSettings.call(this, itemIndex);
	const data = await apiRequest.call(this, settings, PUSH_NOTIFICATION, { qs });
	const json: IDataObject = { success: true, result: (data ?? null) as IDataObject, email, title, message, bundleIds, badgeCount };
	if (Object.keys(addInfo).length > 0) json.additionalInfo = addInfo;
	return [{ json }];
}
