import type { INodeProperties } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { emailField } from '../fields';

/** POST /api/v1/{screen}/pushnotification: Send and Clear Badge (badge count 0) call it. */
export const PUSH_NOTIFICATION: Endpoint = { method: 'POST', version: 'v1', path: '/pushnotification', scope: 'SalesIQ.PushNotifications.UPDATE' };

export const appUserEmailField = emailField(
	'Email of the app user, as your mobile app passed it to the SalesIQ Mobilisten SDK (setEmail)',
	'Reaches users of your own mobile app that embeds the SalesIQ SDK, not website visitors',
);

export const bundleIdsField: INodeProperties = {
	displayName: 'Bundle IDs',
	name: 'bundleIds',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'com.zylker.app, com.zylker.app.beta',
	description: 'Bundle IDs of the apps to notify, separated by commas. Each must be set up in SalesIQ’s mobile SDK settings.',
};
