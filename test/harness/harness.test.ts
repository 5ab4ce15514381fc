import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { credentialFor, registerNodeType, runNode } from '.';
import { ProbeNode } from './probe-node';

registerNodeType('harness.probe', () => new ProbeNode());

interface Seen {
	method: string;
	path: string;
	authorization?: string;
	body: string;
}

/** A tiny OAuth server + API: the API answers 401 until it sees the refreshed token. */
async function startMiniServer() {
	const seen: Seen[] = [];
	let validToken = 'fresh-access';
	const readBody = (req: IncomingMessage) =>
		new Promise<string>((resolve) => {
			let data = '';
			req.on('data', (chunk) => (data += chunk));
			req.on('end', () => resolve(data));
		});
	const server: Server = createServer(async (req, res) => {
		const body = await readBody(req);
		const path = (req.url ?? '').split('?')[0];
		seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
		res.setHeader('content-type', 'application/json');
		if (path === '/oauth/v2/token') {
			res.end(JSON.stringify({ access_token: validToken, token_type: 'Bearer', expires_in: 3600 }));
			return;
		}
		if (req.headers.authorization !== `Bearer ${validToken}`) {
			res.statusCode = 401;
			res.end(JSON.stringify({ error: { code: 1008, message: 'Invalid OAuthToken.' } }));
			return;
		}
		res.end(JSON.stringify({ data: [{ screenname: 'zylker' }] }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		seen,
		setValidToken: (token: string) => (validToken = token),
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('in-process harness', () => {
	let server: Awaited<ReturnType<typeof startMiniServer>>;
	beforeAll(async () => (server = await startMiniServer()));
	afterAll(async () => await server.stop());

	it('refreshes a stale token through n8n-core and persists the new one', async () => {
		server.seen.length = 0;
		const credential = credentialFor({
			url: server.url,
			clientId: 'client-1',
			clientSecret: 'secret-1',
			accessToken: 'stale-access',
			refreshToken: 'refresh-1',
		});

		const result = await runNode({ nodeType: 'harness.probe', parameters: { path: '/api/v2/portals' }, credential });

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ data: [{ screenname: 'zylker' }] }]);
		expect(server.seen.map((s) => `${s.method} ${s.path} ${s.authorization ?? '-'}`)).toEqual([
			'GET /api/v2/portals Bearer stale-access',
			'POST /oauth/v2/token -',
			'GET /api/v2/portals Bearer fresh-access',
		]);
		const refresh = new URLSearchParams(server.seen[1].body);
		expect(Object.fromEntries(refresh)).toEqual({
			grant_type: 'refresh_token',
			refresh_token: 'refresh-1',
			client_id: 'client-1',
			client_secret: 'secret-1',
		});
		expect(result.tokenUpdates).toHaveLength(1);
		expect(result.credential.oauthTokenData).toMatchObject({
			access_token: 'fresh-access',
			refresh_token: 'refresh-1',
		});
	});

	it('reports a node error as the run error', async () => {
		const credential = credentialFor({
			url: 'http://127.0.0.1:9',
			clientId: 'c',
			clientSecret: 's',
			accessToken: 'a',
			refreshToken: 'r',
		});
		const result = await runNode({ nodeType: 'harness.probe', parameters: {}, credential });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/refused|ECONNREFUSED/i);
	});
});
