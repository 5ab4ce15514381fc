import { startSandbox } from './index';
import type { Sandbox } from './index';
import { api, refresh, v1 } from './helpers';
import type { Json } from './helpers';

describe('sandbox fault injection', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox({ chats: 30, visitors: 5, seed: 8 });
	});
	afterEach(() => sandbox.stop());

	const chats = () => fetch(`${sandbox.url}${v1(sandbox, '/chats?limit=1')}`, { headers: { authorization: `Bearer ${sandbox.accessToken}` } });

	test.each([500, 502, 503])('status %i with a JSON error body', async (status) => {
		sandbox.inject({ kind: 'status', status, times: 1 });
		const res = await chats();
		expect(res.status).toBe(status);
		expect(await res.json()).toEqual({ error: { code: 1001, message: expect.any(String) } });
		expect((await chats()).status).toBe(200);
	});

	test('status with as200 keeps the error body but answers 200', async () => {
		sandbox.inject({ kind: 'status', status: 503, code: 1023, as200: true });
		const res = await chats();
		expect(res.status).toBe(200);
		expect(((await res.json()) as Json).error.code).toBe(1023);
	});

	test('throttle answers 429 with Retry-After and code 1023', async () => {
		sandbox.inject({ kind: 'throttle', retryAfter: 7 });
		const res = await chats();
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('7');
		expect(await res.json()).toEqual({ error: { code: 1023, message: 'Too many requests, please try after sometime' } });
		sandbox.clearFaults();
		sandbox.inject({ kind: 'throttle' });
		expect((await chats()).headers.get('retry-after')).toBe('1');
	});

	test('throttle follows errorsAs200 unless the fault says otherwise', async () => {
		const as200 = await startSandbox({ chats: 3, visitors: 0, errorsAs200: true });
		try {
			as200.inject({ kind: 'throttle', times: 1 });
			const res = await fetch(`${as200.url}/api/v2/portals`, { headers: { authorization: `Bearer ${as200.accessToken}` } });
			expect(res.status).toBe(200);
			expect(res.headers.get('retry-after')).toBe('1');
			expect(((await res.json()) as Json).error.code).toBe(1023);
			as200.inject({ kind: 'throttle', as200: false, times: 1 });
			expect((await fetch(`${as200.url}/api/v2/portals`, { headers: { authorization: `Bearer ${as200.accessToken}` } })).status).toBe(429);
		} finally {
			await as200.stop();
		}
	});

	test('code1023 answers HTTP 200 with code 1023 and no Retry-After', async () => {
		sandbox.inject({ kind: 'code1023' });
		const res = await chats();
		expect(res.status).toBe(200);
		expect(res.headers.get('retry-after')).toBeNull();
		expect(((await res.json()) as Json).error.code).toBe(1023);
	});

	test('reset drops the connection without a response', async () => {
		sandbox.inject({ kind: 'reset', times: 1 });
		const error = await chats().then(
			() => undefined,
			(e: Error & { cause?: { code?: string } }) => e,
		);
		// fetch comes from another realm than jest's globals, so match by name rather than instanceof.
		expect(error).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
		expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error?.cause?.code);
		expect((await chats()).status).toBe(200);
	});

	test('hang never answers, and stop() still closes promptly', async () => {
		sandbox.inject({ kind: 'hang' });
		const started = Date.now();
		const res = fetch(`${sandbox.url}${v1(sandbox, '/chats')}`, {
			headers: { authorization: `Bearer ${sandbox.accessToken}` },
			signal: AbortSignal.timeout(300),
		});
		await expect(res).rejects.toMatchObject({ name: 'TimeoutError' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		const pending = fetch(`${sandbox.url}${v1(sandbox, '/chats')}`, { headers: { authorization: `Bearer ${sandbox.accessToken}` } });
		await new Promise((r) => setTimeout(r, 50));
		const stopping = Date.now();
		await sandbox.stop();
		expect(Date.now() - stopping).toBeLessThan(1000);
		await expect(pending).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
	});

	test('malformed answers 200 with truncated JSON', async () => {
		sandbox.inject({ kind: 'malformed' });
		const res = await chats();
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/json/);
		const text = await res.text();
		expect(() => JSON.parse(text)).toThrow();
	});

	test('html answers an HTML error page, 502 by default', async () => {
		sandbox.inject({ kind: 'html', times: 1 });
		const res = await chats();
		expect(res.status).toBe(502);
		expect(res.headers.get('content-type')).toBe('text/html');
		expect(await res.text()).toMatch(/^<!DOCTYPE html>[\s\S]*502 Bad Gateway/);
		sandbox.inject({ kind: 'html', status: 503, times: 1 });
		expect((await chats()).status).toBe(503);
	});

	test('empty answers an empty body', async () => {
		sandbox.inject({ kind: 'empty' });
		const res = await chats();
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('');
	});

	test('latency faults and the latency option delay answers', async () => {
		sandbox.inject({ kind: 'latency', ms: 300, times: 1 });
		let started = Date.now();
		expect((await chats()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
		expect(sandbox.faults()).toEqual([]);
		started = Date.now();
		await chats();
		expect(Date.now() - started).toBeLessThan(250);
		const slow = await startSandbox({ chats: 2, visitors: 0, latencyMs: 300, latencyJitterMs: 50 });
		try {
			started = Date.now();
			await fetch(`${slow.url}/oauth/v2/token`, { method: 'POST' });
			expect(Date.now() - started).toBeGreaterThanOrEqual(295);
			// Control routes are never delayed.
			started = Date.now();
			await fetch(`${slow.url}/__sandbox/info`);
			expect(Date.now() - started).toBeLessThan(250);
		} finally {
			await slow.stop();
		}
	});

	test('match targets a path substring or a /regex/', async () => {
		const chat = sandbox.dataset.chats.find((c) => !c.missed_time)?.chat_id as string;
		sandbox.inject({ kind: 'status', status: 500, match: '/transcript' });
		expect((await api(sandbox, v1(sandbox, `/chats/${chat}/transcript`))).status).toBe(500);
		expect((await api(sandbox, v1(sandbox, `/chats/${chat}`))).status).toBe(200);
		sandbox.clearFaults();
		sandbox.inject({ kind: 'status', status: 503, match: '/chats/\\d+$/' });
		expect((await api(sandbox, v1(sandbox, `/chats/${chat}`))).status).toBe(503);
		expect((await api(sandbox, v1(sandbox, '/chats'))).status).toBe(200);
	});

	test('everyNth fires on every Nth matching request', async () => {
		sandbox.inject({ kind: 'status', status: 500, everyNth: 3, match: '/chats' });
		const statuses = [];
		for (let i = 0; i < 7; i++) {
			statuses.push((await chats()).status);
			await api(sandbox, '/api/v2/portals');
		}
		expect(statuses).toEqual([200, 200, 500, 200, 200, 500, 200]);
	});

	test('times fires on the next K requests, then the fault is gone', async () => {
		const id = sandbox.inject({ kind: 'status', status: 502, times: 2 });
		expect(sandbox.faults()).toEqual([expect.objectContaining({ id, kind: 'status', seen: 0, fired: 0 })]);
		expect([(await chats()).status, (await chats()).status, (await chats()).status]).toEqual([502, 502, 200]);
		expect(sandbox.faults()).toEqual([]);
	});

	test('method narrows a fault, and faults reach the token endpoint too', async () => {
		sandbox.inject({ kind: 'throttle', method: 'POST', match: '/oauth/v2/token', times: 1 });
		expect((await chats()).status).toBe(200);
		const res = await fetch(`${sandbox.url}/oauth/v2/token`, { method: 'POST' });
		expect(res.status).toBe(429);
		expect((await refresh(sandbox, sandbox.refreshToken)).body.access_token).toBeDefined();
	});

	test('the request log records which fault hit a request; removeFault and clearFaults work', async () => {
		const id = sandbox.inject({ kind: 'status', status: 500, times: 1 });
		await chats();
		await chats();
		const [first, second] = sandbox.requests();
		expect(first.fault).toBe(id);
		expect(second.fault).toBeUndefined();
		const other = sandbox.inject({ kind: 'empty' });
		expect(sandbox.removeFault(other)).toBe(true);
		expect(sandbox.removeFault(other)).toBe(false);
		sandbox.inject({ kind: 'empty' });
		sandbox.clearFaults();
		expect((await chats()).status).toBe(200);
	});

	test('invalid faults are rejected', () => {
		expect(() => sandbox.inject({ kind: 'explode' } as never)).toThrow(/kind/);
		expect(() => sandbox.inject({ kind: 'latency' })).toThrow(/ms/);
		expect(() => sandbox.inject({ kind: 'status', everyNth: 0 })).toThrow(/everyNth/);
		expect(() => sandbox.inject({ kind: 'status', match: '/[/' })).toThrow();
	});

	test('faults given at startup are active from the first request', async () => {
		const faulty = await startSandbox({ chats: 2, visitors: 0, faults: [{ kind: 'status', status: 503, times: 1 }] });
		try {
			const res = await fetch(`${faulty.url}/api/v2/portals`, { headers: { authorization: `Bearer ${faulty.accessToken}` } });
			expect(res.status).toBe(503);
		} finally {
			await faulty.stop();
		}
	});

	test('pubdownload links can be faulted as well', async () => {
		const [info] = sandbox.dataset.attachments.values();
		const link = (await api(sandbox, v1(sandbox, `/chats/${info.chatId}${info.url}`))).body.data.download_url;
		sandbox.inject({ kind: 'reset', match: '/pubdownload/', times: 1 });
		await expect(fetch(link)).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
		expect((await fetch(link)).status).toBe(200);
	});
});
