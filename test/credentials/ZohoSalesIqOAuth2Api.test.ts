import { ClientOAuth2 } from '@n8n/client-oauth2';
import type { ICredentialDataDecryptedObject, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { ZohoSalesIqOAuth2Api } from '../../credentials/ZohoSalesIqOAuth2Api.credentials';
import { DATA_CENTERS } from '../../nodes/ZohoSalesIq/transport/dataCenters';
import { CREDENTIAL_TYPE, HarnessCredentialsHelper, credentialTypes } from '../harness';

/** Every scope the credential asks for; the order carries no meaning to Zoho, so the tests compare sets. */
const EXPECTED_SCOPES = [
	'SalesIQ.chatdetails.READ',
	'SalesIQ.chattranscript.READ',
	'SalesIQ.visitordetails.READ',
	'SalesIQ.visitordetails.UPDATE',
	'SalesIQ.PushNotifications.UPDATE',
	'SalesIQ.conversations.READ',
	'SalesIQ.conversations.UPDATE',
	'SalesIQ.portals.READ',
	'SalesIQ.Apps.READ',
	'SalesIQ.webhooks.READ',
	'SalesIQ.webhooks.CREATE',
	'SalesIQ.webhooks.DELETE',
	'SalesIQ.callbacks.UPDATE',
];

const REDIRECT_URI = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

/** The credential as n8n hands it to its OAuth2 code: defaults applied, expressions resolved. */
async function resolve(data: ICredentialDataDecryptedObject) {
	const helper = new HarnessCredentialsHelper(credentialTypes);
	helper.set('c', data);
	return await helper.getDecrypted({} as IWorkflowExecuteAdditionalData, { id: 'c', name: 'c' }, CREDENTIAL_TYPE, 'manual');
}

/** Builds the authorization URL the way n8n's OAuth2 credential controller does, with n8n's own client. */
function authorizationUrl(credential: ICredentialDataDecryptedObject): URL {
	const scope = String(credential.scope);
	const client = new ClientOAuth2({
		clientId: String(credential.clientId),
		clientSecret: String(credential.clientSecret),
		accessTokenUri: String(credential.accessTokenUrl),
		authorizationUri: String(credential.authUrl),
		redirectUri: REDIRECT_URI,
		scopes: scope.split(','),
		scopesSeparator: scope.includes(',') ? ',' : ' ',
		state: 'csrf-state-1',
	});
	let uri = client.code.getUri();
	if (credential.authQueryParameters) uri += `&${String(credential.authQueryParameters)}`;
	return new URL(uri);
}

describe('Zoho SalesIQ OAuth2 credential', () => {
	const type = new ZohoSalesIqOAuth2Api();
	const base = { clientId: 'client-42', clientSecret: 'secret-42', screenName: 'zylker' };

	it('declares the n8n OAuth2 contract', () => {
		expect(type.name).toBe('zohoSalesIqOAuth2Api');
		expect(type.displayName).toBe('Zoho SalesIQ OAuth2 API');
		expect(type.extends).toEqual(['oAuth2Api']);
		const hidden = Object.fromEntries(type.properties.filter((p) => p.type === 'hidden').map((p) => [p.name, p.default]));
		expect(hidden.grantType).toBe('authorizationCode');
		expect(hidden.authQueryParameters).toBe('access_type=offline&prompt=consent');
		expect(hidden.authentication).toBe('body');
		expect(String(hidden.scope).split(',').sort()).toEqual([...EXPECTED_SCOPES].sort());
		const dcOptions = type.properties.find((p) => p.name === 'dataCenter')?.options as Array<{ value: string }>;
		expect(dcOptions.map((o) => o.value)).toEqual(['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk', 'custom']);
	});

	const cases: Array<[string, string, string]> = [
		['us', 'accounts.zoho.com', 'salesiq.zoho.com'],
		['eu', 'accounts.zoho.eu', 'salesiq.zoho.eu'],
		['in', 'accounts.zoho.in', 'salesiq.zoho.in'],
		['au', 'accounts.zoho.com.au', 'salesiq.zoho.com.au'],
		['jp', 'accounts.zoho.jp', 'salesiq.zoho.jp'],
		['cn', 'accounts.zoho.com.cn', 'salesiq.zoho.com.cn'],
		['ca', 'accounts.zohocloud.ca', 'salesiq.zohocloud.ca'],
		['sa', 'accounts.zoho.sa', 'salesiq.zoho.sa'],
		['uk', 'accounts.zoho.uk', 'salesiq.zoho.uk'],
	];

	it('covers every data center of the shared table', () => {
		expect(cases.map(([dc]) => dc)).toEqual(DATA_CENTERS.map((dc) => dc.value));
	});

	it.each(cases)('%s: authorization URL, token URL and API host', async (dataCenter, accountsHost, apiHost) => {
		const credential = await resolve({ ...base, dataCenter });
		const url = authorizationUrl(credential);

		expect(url.origin).toBe(`https://${accountsHost}`);
		expect(url.pathname).toBe('/oauth/v2/auth');
		expect(url.searchParams.get('response_type')).toBe('code');
		expect(url.searchParams.get('client_id')).toBe('client-42');
		expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
		expect(url.searchParams.get('state')).toBe('csrf-state-1');
		expect(url.searchParams.get('scope')!.split(',').sort()).toEqual([...EXPECTED_SCOPES].sort());
		expect(url.search).toContain('scope=SalesIQ.chatdetails.READ%2CSalesIQ');
		expect(url.searchParams.get('access_type')).toBe('offline');
		expect(url.searchParams.get('prompt')).toBe('consent');

		expect(credential.accessTokenUrl).toBe(`https://${accountsHost}/oauth/v2/token`);
		expect(DATA_CENTERS.find((dc) => dc.value === dataCenter)?.apiUrl).toBe(`https://${apiHost}`);
		const testRequest = type.test.request;
		const resolvedTest = await resolve({ ...base, dataCenter, probe: String(testRequest.baseURL) });
		expect(resolvedTest.probe).toBe(`https://${apiHost}`);
	});

	it('custom: uses the given URLs and ignores trailing slashes', async () => {
		const credential = await resolve({
			...base,
			dataCenter: 'custom',
			accountsUrl: 'http://127.0.0.1:8787/',
			apiUrl: 'http://127.0.0.1:8788',
		});
		const url = authorizationUrl(credential);
		expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:8787/oauth/v2/auth');
		expect(credential.accessTokenUrl).toBe('http://127.0.0.1:8787/oauth/v2/token');
		expect(url.searchParams.get('access_type')).toBe('offline');
		const resolvedTest = await resolve({
			...base,
			dataCenter: 'custom',
			apiUrl: 'http://127.0.0.1:8788/',
			probe: String(type.test.request.baseURL),
		});
		expect(resolvedTest.probe).toBe('http://127.0.0.1:8788');
	});
});
