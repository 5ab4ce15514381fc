import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	CUSTOM_DATA_CENTER,
	DATA_CENTERS,
	originExpression,
} from '../nodes/ZohoSalesIq/transport/dataCenters';
import { ALL_SCOPES } from '../nodes/ZohoSalesIq/scopes';

export class ZohoSalesIqOAuth2Api implements ICredentialType {
	name = 'zohoSalesIqOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Zoho SalesIQ OAuth2 API';

	documentationUrl = 'https://www.zoho.com/salesiq/help/developer-section/rest-api-prerequisite.html';

	icon: Icon = {
		light: 'file:../nodes/ZohoSalesIq/zohoSalesIq.svg',
		dark: 'file:../nodes/ZohoSalesIq/zohoSalesIq.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Data Center',
			name: 'dataCenter',
			type: 'options',
			options: [
				...DATA_CENTERS.map((dc) => ({ name: dc.name, value: dc.value })),
				{ name: 'Custom', value: CUSTOM_DATA_CENTER },
			],
			default: 'us',
			description:
				'Where your Zoho account lives: the domain you sign in at (for example salesiq.zoho.eu means Europe). Choose Custom for an API gateway or a local sandbox.',
		},
		{
			displayName: 'Accounts URL',
			name: 'accountsUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://accounts.zoho.com',
			description: 'Base URL of the Zoho Accounts server that issues tokens',
			displayOptions: { show: { dataCenter: [CUSTOM_DATA_CENTER] } },
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://salesiq.zoho.com',
			description: 'Base URL of the SalesIQ REST API',
			displayOptions: { show: { dataCenter: [CUSTOM_DATA_CENTER] } },
		},
		{
			displayName: 'Files URL',
			name: 'filesUrl',
			type: 'string',
			default: '',
			placeholder: 'https://files.example.com',
			description:
				'Base URL of the host that serves attachment downloads, if it is not the API URL. Attachment links on any other host are refused.',
			displayOptions: { show: { dataCenter: [CUSTOM_DATA_CENTER] } },
		},
		{
			displayName: 'Screen Name',
			name: 'screenName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'zylker',
			description:
				"Your portal's screen name: the part of the SalesIQ address after the domain, for example zylker in salesiq.zoho.com/zylker/index",
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: originExpression('accountsUrl', '/oauth/v2/auth'),
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: originExpression('accountsUrl', '/oauth/v2/token'),
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: ALL_SCOPES.join(','),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'access_type=offline&prompt=consent',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	// Lists the portals the connected user can reach: proves the token, the data center and the scopes.
	test: ICredentialTestRequest = {
		request: {
			baseURL: originExpression('apiUrl'),
			url: '/api/v2/portals',
		},
	};
}
