import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { startSandbox } from './index';
import type { Sandbox } from './index';
import { api, authorize, refresh, subscriber, v1 } from './helpers';
import type { Json } from './helpers';

describe('sandbox control routes', () => {
	let sandbox: Sandbox;
	let now = Date.UTC(2026, 10, 1);
	beforeEach(async () => {
		sandbox = await startSandbox({ chats: 120, visitors: 150, seed: 2, clock: () => now });
	});
	afterEach(() => sandbox.stop());

	const control = async (method: string, route: string, body?: unknown) => {
		const res = await fetch(`${sandbox.url}/__sandbox${route}`, {
			method,
			headers: body === undefined ? undefined : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as Json };
	};

	test('GET /info returns the connection details', async () => {
		const res = await control('GET', '/info');
		expect(res.body).toEqual({
			url: sandbox.url,
			accountsUrl: sandbox.url,
			apiUrl: sandbox.url,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			screenName: sandbox.screenName,
			accessToken: sandbox.accessToken,
			refreshToken: sandbox.refreshToken,
			filesUrl: '',
			variantsInForce: [],
		});
	});

	test('the request log holds API calls only, can be filtered and cleared', async () => {
		await api(sandbox, v1(sandbox, '/chats?limit=2'), { headers: { 'x-trace': 'abc' } });
		await refresh(sandbox, sandbox.refreshToken);
		const log = await control('GET', '/requests');
		expect(log.body).toHaveLength(2);
		expect(log.body[0]).toEqual({
			method: 'GET',
			path: v1(sandbox, '/chats'),
			query: { limit: '2' },
			headers: expect.objectContaining({ authorization: `Bearer ${sandbox.accessToken}`, 'x-trace': 'abc' }),
			body: '',
			time: now,
		});
		expect(new URLSearchParams(log.body[1].body).get('grant_type')).toBe('refresh_token');
		expect((await control('GET', '/token-requests')).body).toHaveLength(1);
		expect((await control('GET', '/requests?match=/chats')).body).toHaveLength(1);
		expect((await control('DELETE', '/requests')).status).toBe(200);
		expect((await control('GET', '/requests')).body).toEqual([]);
	});

	test('faults can be added (one or many), listed and removed', async () => {
		const added = await control('POST', '/faults', { kind: 'status', status: 503, times: 1 });
		expect(added.body).toEqual({ ids: [expect.any(String)] });
		expect((await api(sandbox, '/api/v2/portals')).status).toBe(503);
		const many = await control('POST', '/faults', [{ kind: 'empty' }, { kind: 'latency', ms: 1 }]);
		expect(many.body.ids).toHaveLength(2);
		expect((await control('GET', '/faults')).body.map((f: { kind: string }) => f.kind)).toEqual(['empty', 'latency']);
		expect((await control('DELETE', `/faults/${many.body.ids[0]}`)).status).toBe(200);
		expect((await control('DELETE', `/faults/${many.body.ids[0]}`)).status).toBe(404);
		await control('DELETE', '/faults');
		expect((await control('GET', '/faults')).body).toEqual([]);
		const bad = await control('POST', '/faults', [{ kind: 'empty' }, { kind: 'bogus' }]);
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatch(/kind/);
		expect(sandbox.faults()).toEqual([]);
	});

	test('expire-tokens, revoke-refresh-token, advance-time and deny', async () => {
		expect((await control('POST', '/expire-tokens')).body.expired).toBe(1);
		expect((await api(sandbox, v1(sandbox, '/chats'))).body.error.code).toBe(1008);
		const renewed = await refresh(sandbox, sandbox.refreshToken);
		now += 1;
		expect((await control('POST', '/advance-time', { ms: 3_600_000 })).body).toEqual({ now: now + 3_600_000 });
		expect((await api(sandbox, v1(sandbox, '/chats'), { token: renewed.body.access_token })).body.error.code).toBe(1008);
		expect((await control('POST', '/revoke-refresh-token', { token: sandbox.refreshToken })).body).toEqual({ revoked: true });
		expect((await refresh(sandbox, sandbox.refreshToken)).body.error).toBe('invalid_code');
		expect((await control('POST', '/deny', { deny: true })).body).toEqual({ deny: true });
		expect((await authorize(sandbox, {})).get('error')).toBe('access_denied');
	});

	test('dataset returns a summary with the first 100 chats and visitors, or all of them', async () => {
		const res = await control('GET', '/dataset');
		expect(res.body).toMatchObject({
			seed: sandbox.dataset.seed,
			anchorTime: sandbox.dataset.anchorTime,
			portal: sandbox.dataset.portal,
			apps: sandbox.dataset.apps,
			departments: sandbox.dataset.departments,
			operators: sandbox.dataset.operators,
			counts: { chats: 120, visitors: 150, missedChats: sandbox.dataset.chats.filter((c) => c.missed_time).length },
			newestChatTime: sandbox.dataset.chats[0].chatinitiated_time,
			oldestChatTime: sandbox.dataset.chats[119].chatinitiated_time,
		});
		expect(res.body.chats).toEqual(sandbox.dataset.chats.slice(0, 100));
		expect(res.body.visitors).toHaveLength(100);
		const all = await control('GET', '/dataset?chats=all&visitors=0');
		expect(all.body.chats).toHaveLength(120);
		expect(all.body.visitors).toEqual([]);
		expect((await control('GET', '/dataset?chats=lots')).status).toBe(400);
	});

	test('add-chats inserts chats the API then serves', async () => {
		const at = Number(sandbox.dataset.chats[5].chatinitiated_time);
		const res = await control('POST', '/add-chats', { count: 2, atTime: at });
		expect(res.body.chats).toHaveLength(2);
		const window = await api(sandbox, v1(sandbox, `/chats?fromtime=${at}&totime=${at}`));
		expect(window.body.data.map((c: { chat_id: string }) => c.chat_id)).toEqual(
			expect.arrayContaining(res.body.chats.map((c: { chat_id: string }) => c.chat_id)),
		);
		expect((await control('POST', '/add-chats', { count: -1 })).status).toBe(400);
	});

	test('webhooks, deliver, deliveries and notifications', async () => {
		const sub = await subscriber();
		try {
			const created = await api(sandbox, `/api/v2/${sandbox.screenName}/webhooks`, {
				method: 'POST',
				body: JSON.stringify({ type: 'data', url: sub.url, events: ['conversation.missed'], version: '1' }),
			});
			expect((await control('GET', '/webhooks')).body).toEqual([created.body.data]);
			const delivered = await control('POST', '/deliver', { event: 'conversation.missed' });
			expect(delivered.body.results).toEqual([expect.objectContaining({ webhookId: created.body.data.id, status: 200 })]);
			expect(JSON.parse(sub.posts()[0].body).event).toBe('conversation.missed');
			expect((await control('GET', '/deliveries')).body).toHaveLength(1);
			expect((await control('POST', '/deliver', { event: 'conversation.missed', webhookId: 'nope' })).status).toBe(400);
		} finally {
			await sub.close();
		}
		await api(sandbox, v1(sandbox, '/pushnotification?email=a@b.example&badgecount=0&bundleids=x'), { method: 'POST' });
		expect((await control('GET', '/notifications')).body).toEqual([expect.objectContaining({ mode: 'clear', email: 'a@b.example' })]);
	});

	test('control calls are not logged, unknown control routes are 404 and bad JSON is 400', async () => {
		expect((await control('GET', '/nothing')).status).toBe(404);
		expect((await control('POST', '/faults', '{nope')).status).toBe(400);
		expect(sandbox.requests()).toEqual([]);
	});
});

describe('sandbox CLI', () => {
	const cli = path.join(__dirname, 'cli.ts');
	const tsx = require.resolve('tsx/cli');

	function run(args: string[]) {
		const child = spawn(process.execPath, [tsx, cli, ...args], { stdio: 'pipe' });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		const firstLine = new Promise<string>((resolve, reject) => {
			const check = () => {
				const newline = stdout.indexOf('\n');
				if (newline >= 0) resolve(stdout.slice(0, newline));
			};
			child.stdout.on('data', check);
			void exited.then((code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
		});
		// Runs that are expected to fail never read the first line.
		firstLine.catch(() => undefined);
		return { child, firstLine, exited, output: () => stdout, errors: () => stderr };
	}

	let running: ChildProcessWithoutNullStreams | undefined;
	afterEach(() => {
		if (running && running.exitCode === null) running.kill('SIGKILL');
		running = undefined;
	});

	test('prints one JSON line, serves the API, applies --fault and stops cleanly on SIGTERM', async () => {
		const proc = run(['--port', '0', '--seed', '3', '--chats', '25', '--visitors', '5', '--fault', '{"kind":"status","status":503,"times":1}']);
		running = proc.child;
		const info = JSON.parse(await proc.firstLine);
		expect(Object.keys(info)).toEqual(['url', 'accountsUrl', 'apiUrl', 'clientId', 'clientSecret', 'screenName', 'accessToken', 'refreshToken', 'filesUrl', 'variantsInForce']);
		expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const headers = { authorization: `Zoho-oauthtoken ${info.accessToken}` };
		expect((await fetch(`${info.apiUrl}/api/v1/${info.screenName}/chats`, { headers })).status).toBe(503);
		const res = await fetch(`${info.apiUrl}/api/v1/${info.screenName}/chats?limit=100`, { headers });
		expect(((await res.json()) as Json).data).toHaveLength(25);
		expect(proc.output().split('\n')[1]).toMatch(/sandbox ready/);
		proc.child.kill('SIGTERM');
		expect(await proc.exited).toBe(0);
	}, 20_000);

	test('--deny and --errors-as-200 reach the server; SIGINT also stops it', async () => {
		const proc = run(['--port', '0', '--chats', '3', '--visitors', '0', '--deny', '--errors-as-200', '--token-ttl', '60']);
		running = proc.child;
		const info = JSON.parse(await proc.firstLine);
		const auth = await fetch(`${info.accountsUrl}/oauth/v2/auth?response_type=code&client_id=${info.clientId}&scope=x&redirect_uri=http://127.0.0.1:9/cb`, {
			redirect: 'manual',
		});
		expect(new URL(auth.headers.get('location') as string).searchParams.get('error')).toBe('access_denied');
		const res = await fetch(`${info.apiUrl}/api/v1/${info.screenName}/chats`);
		expect(res.status).toBe(200);
		expect(((await res.json()) as Json).error.code).toBe(1002);
		const token = await fetch(`${info.accountsUrl}/oauth/v2/token`, {
			method: 'POST',
			body: new URLSearchParams({ grant_type: 'refresh_token', client_id: info.clientId, client_secret: info.clientSecret, refresh_token: info.refreshToken }),
		});
		expect(((await token.json()) as Json).expires_in).toBe(60);
		proc.child.kill('SIGINT');
		expect(await proc.exited).toBe(0);
	}, 20_000);

	test('an unknown flag exits with status 2 and the usage', async () => {
		const proc = run(['--bogus']);
		running = proc.child;
		expect(await proc.exited).toBe(2);
		expect(proc.errors()).toMatch(/unknown option --bogus[\s\S]*usage/);
	}, 20_000);
});
