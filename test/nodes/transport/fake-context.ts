import type { INode } from 'n8n-workflow';

/**
 * A minimal node context for transport units: a fixed node and credential, and an authenticated
 * request helper that answers with the given responses in turn and records what it was sent.
 * Suites that need n8n's real request path use the harness instead.
 */

export const node: INode = { id: 'n', name: 'Zoho SalesIQ', type: 'n8n-nodes-zoho-salesiq.zohoSalesIq', typeVersion: 1, position: [0, 0], parameters: {} };

export const credentials = {
	dataCenter: 'custom',
	apiUrl: 'https://salesiq.example.com',
	screenName: 'zylker',
	clientSecret: 'client-secret-value-123',
	oauthTokenData: { access_token: '1000.aaaaaaaaaaaa.bbbbbbbbbbbb', refresh_token: '1000.cccccccccccc.dddddddddddd' },
};

export function fakeContext(responses: unknown[], helpers: Record<string, unknown> = {}) {
	const sent: unknown[] = [];
	const context = {
		getNode: () => node,
		getCredentials: async () => credentials,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: unknown) => {
				sent.push(options);
				return responses.shift();
			},
			...helpers,
		},
	};
	return { context: context as any, sent };
}
