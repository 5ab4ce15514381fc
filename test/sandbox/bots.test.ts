import { createPublicKey, verify } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox } from './index';
import { api, grant, type Json } from './helpers';

interface Seen {
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A bot on 127.0.0.1 that records requests and answers with the next queued reply (status, body, delay). */
async function bot() {
	const seen: Seen[] = [];
	const queue: { status?: number; body: unknown; delayMs?: number }[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			const next = queue.shift() ?? { body: { action: 'reply', replies: ['ok'] } };
			const answer = () => {
				if (res.destroyed) return;
				res.writeHead(next.status ?? 200, { 'content-type': 'application/json' });
				res.end(typeof next.body === 'string' ? next.body : JSON.stringify(next.body));
			};
			if (next.delayMs) setTimeout(answer, next.delayMs);
			else answer();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bot`,
		seen,
		answer: (...next: { status?: number; body: unknown; delayMs?: number }[]) => queue.push(...next),
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

let sandbox: Sandbox;
let target: Awaited<ReturnType<typeof bot>>;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 10, visitors: 10 });
	target = await bot();
});

afterAll(async () => {
	await target.close();
	await sandbox.stop();
});

const callback = (requestId: string, kind: string, body: unknown, token?: string) =>
	api(sandbox, `/api/v2/${sandbox.screenName}/callbacks/${requestId}/${kind}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
		token,
	});

describe('playing SalesIQ towards a bot', () => {
	it('sends a signed message request that both key forms verify, and records the accepted answer', async () => {
		target.answer({ body: { action: 'reply', replies: ['Hi there', { text: 'Card', image: 'https://example.com/a.png' }], suggestions: ['Pricing'] } });
		const exchange = await sandbox.bots.play({ url: target.url, text: 'What does it cost?' });

		const sent = target.seen[target.seen.length - 1];
		const body = JSON.parse(sent.body);
		expect(body).toEqual(
			expect.objectContaining({
				handler: 'message',
				operation: 'chat',
				org_id: sandbox.dataset.portal.org_id,
				message: { text: 'What does it cost?' },
				attachments: [],
				request: expect.objectContaining({ id: exchange.requestId }),
				visitor: expect.objectContaining({ active_conversation_id: exchange.conversationId, channel: 'website' }),
			}),
		);
		const key = await sandbox.bots.publicKey();
		const signature = Buffer.from(sent.headers['x-siqsignature'] as string, 'base64');
		expect(verify('sha256', Buffer.from(sent.body), createPublicKey(key.public_key), signature)).toBe(true);
		const der = createPublicKey({ key: Buffer.from(key.public_key_base64, 'base64'), format: 'der', type: 'spki' });
		expect(verify('sha256', Buffer.from(sent.body), der, signature)).toBe(true);

		expect(exchange).toEqual(expect.objectContaining({ status: 200, action: 'reply', accepted: true, problems: [] }));
		expect(exchange.elapsedMs).toBeLessThan(exchange.timeoutMs);
		expect(exchange.timeoutMs).toBe(5000);
		expect(sandbox.bots.exchanges().map((e) => e.requestId)).toContain(exchange.requestId);
	});

	it('numbers a conversation: chat for the first message, message after; trigger and context have their own fields', async () => {
		const first = await sandbox.bots.play({ url: target.url, text: 'one' });
		await sandbox.bots.play({ url: target.url, text: 'two', conversationId: first.conversationId });
		expect(JSON.parse(target.seen[target.seen.length - 1].body).operation).toBe('message');

		await sandbox.bots.play({ url: target.url, handler: 'trigger' });
		const trigger = JSON.parse(target.seen[target.seen.length - 1].body);
		expect(Object.keys(trigger).sort()).toEqual(['handler', 'org_id', 'request', 'visitor']);

		await sandbox.bots.play({ url: target.url, handler: 'context', contextId: 'ctx-9', answers: { email: { text: 'a@example.com' } } });
		const context = JSON.parse(target.seen[target.seen.length - 1].body);
		expect(context).toEqual(expect.objectContaining({ handler: 'context', context_id: 'ctx-9', answers: { email: { text: 'a@example.com' } } }));
	});

	it('sends no signature when unsigned, and a body that no longer matches when tampered', async () => {
		await sandbox.bots.play({ url: target.url, signed: false });
		expect(target.seen[target.seen.length - 1].headers['x-siqsignature']).toBeUndefined();

		await sandbox.bots.play({ url: target.url, tamper: true });
		const sent = target.seen[target.seen.length - 1];
		const key = createPublicKey((await sandbox.bots.publicKey()).public_key);
		expect(verify('sha256', Buffer.from(sent.body), key, Buffer.from(sent.headers['x-siqsignature'] as string, 'base64'))).toBe(false);
	});

	it('gives up after the time limit and records the exchange as not accepted', async () => {
		target.answer({ body: { action: 'reply', replies: ['late'] }, delayMs: 400 });
		const exchange = await sandbox.bots.play({ url: target.url, timeoutMs: 100 });
		expect(exchange).toEqual(expect.objectContaining({ status: 0, error: 'timeout', accepted: false }));
		expect(exchange.elapsedMs).toBeGreaterThanOrEqual(90);
		expect(exchange.elapsedMs).toBeLessThan(400);
	});

	it.each([
		[{ action: 'dance' }, 'action'],
		[{ action: 'reply', replies: 'text' }, 'replies'],
		[{ action: 'reply', replies: [''] }, 'replies[0]'],
		[{ action: 'reply', replies: ['a'], suggestions: [1] }, 'suggestions'],
		[{ action: 'forward', replies: [], operators: ['not-an-email'] }, 'operators'],
		[{ action: 'forward' }, 'replies'],
		[{ action: 'end', replies: [], delay: 10 }, 'delay'],
		[{ action: 'end', replies: [], delay_config: { enabled: true, time: 10801 } }, 'delay_config.time'],
	])('refuses %j (problem at %s)', async (answer, key) => {
		target.answer({ body: answer });
		const exchange = await sandbox.bots.play({ url: target.url });
		expect(exchange.accepted).toBe(false);
		expect(exchange.problems.map((p) => p.key)).toContain(key);
	});

	it('reads an end delay under both spellings, and a non-JSON or failed answer is not accepted', async () => {
		target.answer(
			{ body: { action: 'end', replies: ['Bye'], delay: '60', delay_config: { enabled: true, time: 60 } } },
			{ body: 'hello' },
			{ status: 500, body: { action: 'reply', replies: ['x'] } },
		);
		expect((await sandbox.bots.play({ url: target.url })).endDelay).toEqual({ delay: 60, delayConfig: 60 });
		expect((await sandbox.bots.play({ url: target.url })).problems).toEqual([{ key: '', message: 'the answer is not JSON' }]);
		expect((await sandbox.bots.play({ url: target.url })).accepted).toBe(false);
	});
});

describe('callbacks API', () => {
	async function pending(): Promise<string> {
		target.answer({ body: { action: 'pending', replies: ['One moment'] } });
		const exchange = await sandbox.bots.play({ url: target.url });
		expect(exchange.accepted).toBe(true);
		return exchange.requestId;
	}

	it('takes progress texts, then one response, and refuses a second response and later progress', async () => {
		const id = await pending();
		expect((await callback(id, 'progress', { text: 'Still looking…' })).status).toBe(200);
		const done = await callback(id, 'response', { action: 'reply', replies: ['Found it'] });
		expect(done.status).toBe(200);
		expect(done.body.data).toEqual({ request_id: id, status: 'completed' });

		for (const [kind, body] of [['response', { action: 'reply', replies: ['again'] }], ['progress', { text: 'late' }]] as const) {
			const again = await callback(id, kind, body);
			expect(again.status).toBe(404);
			expect(again.body.error.code).toBe(1019);
		}
		const recorded = sandbox.bots.callbacks().filter((c) => c.requestId === id);
		expect(recorded.map((c) => [c.kind, c.status])).toEqual([
			['progress', 200],
			['response', 200],
			['response', 404],
			['progress', 404],
		]);
		expect(recorded[1]).toEqual(expect.objectContaining({ action: 'reply', body: { action: 'reply', replies: ['Found it'] } }));
	});

	it('refuses unknown ids and ids whose answer was not pending', async () => {
		expect((await callback('no-such-id', 'response', { action: 'reply', replies: ['x'] })).status).toBe(404);
		target.answer({ body: { action: 'reply', replies: ['direct'] } });
		const direct = await sandbox.bots.play({ url: target.url });
		expect((await callback(direct.requestId, 'progress', { text: 'x' })).body.error.code).toBe(1019);
	});

	it('refuses invalid bodies without finishing the exchange', async () => {
		const id = await pending();
		const noText = await callback(id, 'progress', {});
		expect([noText.status, noText.body.error]).toEqual([400, expect.objectContaining({ code: 1011, json_key: 'text' })]);
		const badAction = await callback(id, 'response', { action: 'dance' });
		expect([badAction.status, badAction.body.error]).toEqual([400, expect.objectContaining({ code: 1011, json_key: 'action' })]);
		const shortEnd = await callback(id, 'response', { action: 'end', replies: [], delay: 5 });
		expect(shortEnd.body.error.json_key).toBe('delay');
		expect((await callback(id, 'response', 'not json')).body.error.code).toBe(1015);
		expect((await callback(id, 'response', { action: 'end', replies: [], delay: 30 })).status).toBe(200);
	});

	it('needs SalesIQ.callbacks.UPDATE, and a known screen name', async () => {
		const id = await pending();
		const narrow = await grant(sandbox, 'SalesIQ.chatdetails.READ');
		const refused = await callback(id, 'response', { action: 'reply', replies: ['x'] }, narrow.access_token);
		expect([refused.status, refused.body.error.code]).toEqual([200, 1009]); // the default scope-error variant
		const wide = await grant(sandbox, 'SalesIQ.callbacks.UPDATE');
		const wrongScreen = await api(sandbox, `/api/v2/other/callbacks/${id}/progress`, {
			method: 'POST',
			body: JSON.stringify({ text: 'x' }),
			token: wide.access_token,
		});
		expect(wrongScreen.body.error.code).toBe(1005);
		expect((await callback(id, 'progress', { text: 'x' }, wide.access_token)).status).toBe(200);
	});
});

describe('control routes', () => {
	it('plays a message over /__sandbox/bot/play and lists exchanges, callbacks and the key', async () => {
		target.answer({ body: { action: 'forward', department: '123', replies: ['Connecting you'] } });
		const res = await fetch(`${sandbox.url}/__sandbox/bot/play`, {
			method: 'POST',
			body: JSON.stringify({ url: target.url, text: 'agent', timeoutMs: 2000 }),
		});
		const exchange: Json = await res.json();
		expect(exchange).toEqual(expect.objectContaining({ action: 'forward', accepted: true, timeoutMs: 2000 }));
		const listed = (await (await fetch(`${sandbox.url}/__sandbox/bot/exchanges`)).json()) as Json[];
		expect(listed.at(-1).requestId).toBe(exchange.requestId);
		expect(Array.isArray(await (await fetch(`${sandbox.url}/__sandbox/bot/callbacks`)).json())).toBe(true);
		const key: Json = await (await fetch(`${sandbox.url}/__sandbox/bot/key`)).json();
		expect(key.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----/);
	});

	it('answers 400 for bad play options', async () => {
		const res = await fetch(`${sandbox.url}/__sandbox/bot/play`, { method: 'POST', body: JSON.stringify({ url: 'nope' }) });
		expect(res.status).toBe(400);
		expect(await res.json()).toEqual({ error: 'url must be an http(s) URL' });
	});
});
