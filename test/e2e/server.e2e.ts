/**
 * A real `n8n start` with our packed package installed as users install it, against the sandbox:
 * n8n loads the node, trigger and credential, and connects the credential through OAuth as the
 * editor's "Connect my account" button does.
 */
import { ALL_SCOPES } from '../../nodes/ZohoSalesIq/scopes';
import { startSandbox, type Sandbox } from '../sandbox';
import { CREDENTIAL_TYPE, NODE_TYPE, sandboxCredentialFields, TRIGGER_TYPE } from './lib/fixtures';
import { createN8n, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { e2eMajor, packedPackage } from './lib/suite';

let sandbox: Sandbox;
let n8n: N8n;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 40, visitors: 20 });
	n8n = await createN8n({ name: 'server', major: e2eMajor() });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.start();
	await n8n.rest.setupOwner();
}, 180_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

describe('loading', () => {
	it('serves our node and trigger in the node-types data', async () => {
		const types = await n8n.rest.nodeTypes();
		const ours = types.filter((type) => type.name.startsWith('n8n-nodes-zoho-salesiq.'));
		expect(ours.map((type) => type.name)).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_TYPE]));
		expect(ours.find((type) => type.name === NODE_TYPE)?.displayName).toBe('Zoho SalesIQ');
		expect(ours.find((type) => type.name === TRIGGER_TYPE)?.displayName).toBe('Zoho SalesIQ Trigger');
	});

	it('serves our credential type, extending oAuth2Api', async () => {
		const credential = (await n8n.rest.credentialTypes()).find((type) => type.name === CREDENTIAL_TYPE);
		expect(credential).toBeDefined();
		expect(credential!.extends).toEqual(['oAuth2Api']);
		expect(credential!.properties.map((p: { name: string }) => p.name)).toEqual(
			expect.arrayContaining(['dataCenter', 'accountsUrl', 'apiUrl', 'screenName']),
		);
	});
});

describe('OAuth connect, as a user clicks it', () => {
	it('sends the full authorization request, and n8n stores the tokens', async () => {
		const credential = await n8n.rest.createCredential({
			name: 'Zoho SalesIQ (connect)',
			type: CREDENTIAL_TYPE,
			data: sandboxCredentialFields(sandbox),
		});
		sandbox.clearRequests();

		const connect = await n8n.rest.connectOAuth2(credential.id);

		const [authorize] = sandbox.requests('/oauth/v2/auth');
		expect(authorize).toBeDefined();
		expect(authorize.query).toEqual(
			expect.objectContaining({
				response_type: 'code',
				client_id: sandbox.clientId,
				scope: ALL_SCOPES.join(','),
				redirect_uri: `${n8n.baseUrl}/rest/oauth2-credential/callback`,
				access_type: 'offline',
				prompt: 'consent',
			}),
		);
		expect(authorize.query.state).toMatch(/\S{16,}/);
		const callback = new URL(connect.callbackUrl);
		expect(callback.searchParams.get('state')).toBe(authorize.query.state);
		expect(callback.searchParams.get('code')).toBeTruthy();
		expect(connect.callbackStatus).toBe(200);

		const [token] = sandbox.requests('/oauth/v2/token');
		expect(new URLSearchParams(token.body).get('grant_type')).toBe('authorization_code');

		const [stored] = await n8n.exportCredentials(credential.id);
		const tokens = stored.data.oauthTokenData;
		expect(tokens.access_token).toEqual(expect.any(String));
		expect(tokens.refresh_token).toEqual(expect.any(String));
		expect(tokens.access_token).not.toBe(sandbox.accessToken);
		expect(tokens.callbackQueryString).toEqual(expect.objectContaining({ location: expect.any(String) }));
	});
});
