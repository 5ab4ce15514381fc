import { createPublicKey, verify } from 'node:crypto';

import { startSandbox } from './index';
import type { Sandbox } from './index';
import { ANCHOR, api, subscriber, token, v1 } from './helpers';
import { describeVariants, resolveVariants, VARIANT_NAMES, VARIANTS } from './variants';

async function raw(sandbox: Sandbox, path: string, init: RequestInit = {}) {
	const res = await fetch(`${sandbox.url}${path}`, {
		redirect: 'manual',
		...init,
		headers: { authorization: `Zoho-oauthtoken ${sandbox.accessToken}`, ...init.headers },
	});
	return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('sandbox variants', () => {
	let sandbox: Sandbox | undefined;
	afterEach(async () => {
		await sandbox?.stop();
		sandbox = undefined;
	});
	const start = async (variants: Record<string, string>, chats = 30) =>
		(sandbox = await startSandbox({ chats, visitors: 5, anchorTime: ANCHOR, seed: 'variants', variants }));

	test('names and values are checked; the defaults are the first values; aliases map to variants', async () => {
		expect(() => resolveVariants({ writes: 'nothing' })).toThrow('variant writes takes data, empty, object, status, not nothing');
		expect(() => resolveVariants({ bogus: 'x' })).toThrow(/unknown variant bogus/);
		const defaults = resolveVariants();
		for (const name of VARIANT_NAMES) expect(defaults[name]).toBe(VARIANTS[name][0]);
		expect(describeVariants(defaults)).toEqual([]);
		sandbox = await startSandbox({ chats: 1, visitors: 0, errorsAs200: true, legacyExpiresIn: true });
		expect(sandbox.variantsInForce).toEqual(['errors=200', 'token-expiry=milliseconds']);
	});

	test.each([
		['data', '{"data":"success"}'],
		['empty', ''],
		['object', '{}'],
		['status', '{"status":"success"}'],
	])('writes=%s: push, visitor update and webhook delete answer %j; the write happens', async (value, expected) => {
		const s = await start({ writes: value });
		const push = await raw(s, v1(s, '/pushnotification?email=a@b.example&badgecount=0&bundleids=x'), { method: 'POST' });
		expect([push.status, push.text]).toEqual([200, expected]);
		const email = s.dataset.visitors[0].email;
		const update = await raw(s, v1(s, `/visitorsbyemail/${email}?customerinfo=${encodeURIComponent('{"plan":"gold"}')}`), { method: 'PUT' });
		expect(update.status).toBe(200);
		if (value === 'data') expect(JSON.parse(update.text)).toEqual({ data: email });
		else expect(update.text).toBe(expected);
		expect(s.dataset.visitors[0].customer_info.plan).toBe('gold');
		const hooks = await subscriber();
		try {
			const body = JSON.stringify({ type: 'data', url: hooks.url, events: ['conversation.created'], version: '1' });
			const id = (await api(s, `/api/v2/${s.screenName}/webhooks`, { method: 'POST', body })).body.data.id;
			const removed = await raw(s, `/api/v2/${s.screenName}/webhooks/${id}`, { method: 'DELETE' });
			expect(removed.status).toBe(200);
			if (value !== 'data') expect(removed.text).toBe(expected);
			expect(s.webhooks()).toEqual([]);
		} finally {
			await hooks.close();
		}
		expect(s.writes().map((w) => w.method)).toEqual(['POST', 'PUT', 'POST', 'DELETE']);
		expect(s.sentNotifications()).toHaveLength(1);
	});

	test('visitor-update=post-only: PUT answers 1004 (405, or 200 with errors=200) and writes nothing; POST works', async () => {
		const s = await start({ 'visitor-update': 'post-only' });
		const email = s.dataset.visitors[1].email;
		const path = v1(s, `/visitorsbyemail/${email}?customerinfo=${encodeURIComponent('{"a":"1"}')}`);
		expect(await api(s, path, { method: 'PUT' })).toMatchObject({ status: 405, body: { error: { code: 1004, message: 'Invalid Request Type.' } } });
		expect(s.dataset.visitors[1].customer_info.a).toBeUndefined();
		expect(s.writes()).toEqual([]);
		expect(await api(s, path, { method: 'POST' })).toMatchObject({ status: 200, body: { data: email } });
		expect(s.dataset.visitors[1].customer_info.a).toBe('1');
		await s.stop();
		const as200 = await start({ 'visitor-update': 'post-only', errors: '200' });
		const again = await api(as200, v1(as200, `/visitorsbyemail/${as200.dataset.visitors[1].email}?customerinfo=%7B%7D`), { method: 'PUT' });
		expect(again).toMatchObject({ status: 200, body: { error: { code: 1004 } } });
	});

	test('time-bounds: prose reads fromtime as the lower bound, example as the upper; both newest first', async () => {
		const prose = await start({}, 50);
		const chats = prose.dataset.chats;
		const hi = Number(chats[5].chatinitiated_time);
		const lo = Number(chats[20].chatinitiated_time);
		const ids = (res: { body: { data: Array<{ chat_id: string }> } }) => res.body.data.map((c) => c.chat_id);
		const window = chats.filter((c) => Number(c.chatinitiated_time) >= lo && Number(c.chatinitiated_time) <= hi).map((c) => c.chat_id);
		expect(ids(await api(prose, v1(prose, `/chats?fromtime=${lo}&totime=${hi}&limit=100`)))).toEqual(window);
		expect(ids(await api(prose, v1(prose, `/chats?fromtime=${hi}&totime=${lo}&limit=100`)))).toEqual([]);
		await prose.stop();
		const example = await start({ 'time-bounds': 'example' }, 50);
		expect(ids(await api(example, v1(example, `/chats?fromtime=${hi}&totime=${lo}&limit=100`)))).toEqual(window);
		expect(ids(await api(example, v1(example, `/chats?fromtime=${lo}&totime=${hi}&limit=100`)))).toEqual([]);
		// One bound: fromtime alone is the newest time wanted; totime alone the oldest.
		const upTo = chats.filter((c) => Number(c.chatinitiated_time) <= hi).map((c) => c.chat_id);
		expect(ids(await api(example, v1(example, `/chats?fromtime=${hi}&limit=100`)))).toEqual(upTo);
		const chatId = chats.find((c) => example.dataset.transcriptOf(c.chat_id))?.chat_id as string;
		const entries = example.dataset.transcriptOf(chatId) ?? [];
		const t1 = Number((entries[1] as { time: string }).time);
		const transcript = await api(example, v1(example, `/chats/${chatId}/transcript?totime=${t1}&limit=100`));
		expect(transcript.body.data[0]).toEqual(entries[1]);
	});

	test('scope-error: 200 by default, 401 with the variant, whatever the errors variant says', async () => {
		for (const [variants, status] of [[{}, 200], [{ 'scope-error': '401' }, 401], [{ 'scope-error': '401', errors: '200' }, 401]] as const) {
			const s = await start(variants, 1);
			const callback = await fetch(
				`${s.url}/oauth/v2/auth?response_type=code&client_id=${s.clientId}&scope=SalesIQ.portals.READ&redirect_uri=http://127.0.0.1:9/cb`,
				{ redirect: 'manual' },
			);
			const code = new URL(callback.headers.get('location') as string).searchParams.get('code') as string;
			const grant = await token(s, { grant_type: 'authorization_code', client_id: s.clientId, client_secret: s.clientSecret, redirect_uri: 'http://127.0.0.1:9/cb', code });
			const res = await api(s, v1(s, '/chats'), { token: grant.body.access_token as string });
			expect(res).toMatchObject({ status, body: { error: { code: 1009, message: 'Invalid OAuthScope.' } } });
			await s.stop();
		}
	});

	const attachmentChat = (s: Sandbox) => {
		for (const chat of s.dataset.chats) {
			const entry = s.dataset.transcriptOf(chat.chat_id)?.find((e) => 'mode' in e);
			if (entry) return { chatId: chat.chat_id, entry: entry as { msg: { url: string; fileId: string } } };
		}
		throw new Error('no attachment in the dataset');
	};

	test.each(['api-host', 'file-domain', 'redirect'])('files=%s: the link serves the bytes without a token', async (value) => {
		const s = await start({ files: value }, 200);
		const { chatId, entry } = attachmentChat(s);
		const link = (await api(s, v1(s, `/chats/${chatId}${entry.msg.url}`))).body.data.download_url as string;
		const bytes = s.dataset.attachments.get(entry.msg.fileId)?.bytes as Buffer;
		if (value === 'api-host') {
			expect(s.filesUrl).toBe('');
			expect(link.startsWith(`${s.url}/pubdownload/`)).toBe(true);
		} else {
			expect(s.filesUrl).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
			expect(link.startsWith(value === 'file-domain' ? `${s.filesUrl}/public/salesiq/` : `${s.url}/pubdownload/`)).toBe(true);
		}
		let res = await fetch(link, { redirect: 'manual' });
		if (value === 'redirect') {
			expect(res.status).toBe(302);
			const location = res.headers.get('location') as string;
			expect(location.startsWith(`${s.filesUrl}/public/salesiq/`)).toBe(true);
			res = await fetch(location);
		}
		expect(res.status).toBe(200);
		expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
		if (value !== 'api-host') expect(s.requests().filter((r) => r.host === 'files').map((r) => r.method)).toEqual(['GET']);
	});

	test('attachment-mode=msg puts mode:"att" inside msg instead of on the entry', async () => {
		const s = await start({ 'attachment-mode': 'msg' }, 200);
		const { chatId, entry } = attachmentChat(s);
		const page = (await api(s, v1(s, `/chats/${chatId}/transcript?limit=100`))).body.data as Array<Record<string, unknown>>;
		const served = page.find((e) => (e.msg as { fileId?: string })?.fileId === entry.msg.fileId) as Record<string, unknown>;
		expect(served.mode).toBeUndefined();
		expect(served.msg).toEqual({ ...entry.msg, mode: 'att' });
	});

	test('token-expiry=milliseconds: expires_in in ms next to expires_in_sec', async () => {
		const s = await start({ 'token-expiry': 'milliseconds' }, 1);
		const res = await token(s, { grant_type: 'refresh_token', client_id: s.clientId, client_secret: s.clientSecret, refresh_token: s.refreshToken });
		expect(res.body).toMatchObject({ expires_in: 3_600_000, expires_in_sec: 3600 });
	});

	test.each(['pem', 'base64', 'pkcs1'])('delivery=v1-number and key-format=%s: numeric version and app_id, signed with the oldest key', async (format) => {
		const s = await start({ delivery: 'v1-number', 'key-format': format, 'webhook-keys': 'omitted' }, 5);
		const hooks = await subscriber();
		try {
			const body = JSON.stringify({ type: 'data', url: hooks.url, events: ['conversation.created'], version: '1', secured: true });
			const created = (await api(s, `/api/v2/${s.screenName}/webhooks`, { method: 'POST', body })).body.data;
			expect(created.public_keys).toBeUndefined();
			const keys = (await api(s, `/api/v2/${s.screenName}/webhooks/${created.id}/keys`, { method: 'POST' })).body.data.public_keys;
			await api(s, `/api/v2/${s.screenName}/webhooks/${created.id}/keys`, { method: 'POST' });
			expect((await api(s, `/api/v2/${s.screenName}/webhooks/${created.id}`)).body.data.public_keys).toBeUndefined();
			const text = keys[0].key as string;
			if (format === 'pem') expect(text).toMatch(/^-----BEGIN PUBLIC KEY-----/);
			else expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
			const key = format === 'pem' ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: format === 'pkcs1' ? 'pkcs1' : 'spki' });
			await s.deliverEvent({ event: 'conversation.created' });
			const [post] = hooks.posts();
			expect(verify('sha256', Buffer.from(post.body), key, Buffer.from(post.headers['x-siqsignature'] as string, 'base64'))).toBe(true);
			const appId = s.dataset.chats[0].embed_id;
			expect(appId).toMatch(/^\d{17}$/);
			expect(post.body).toContain(`"version":1,"app_id":${appId},`);
		} finally {
			await hooks.close();
		}
	}, 30_000);
});
