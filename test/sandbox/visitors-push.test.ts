import { startSandbox } from './index';
import type { Sandbox } from './index';
import { api, v1 } from './helpers';

describe('sandbox v1 visitor update and push notifications', () => {
	let sandbox: Sandbox;
	beforeEach(async () => {
		sandbox = await startSandbox({ chats: 10, visitors: 30, seed: 4 });
	});
	afterEach(() => sandbox.stop());

	const update = (email: string, info: string | null, method = 'PUT') =>
		api(sandbox, v1(sandbox, `/visitorsbyemail/${encodeURIComponent(email)}${info === null ? '' : `?customerinfo=${encodeURIComponent(info)}`}`), {
			method,
		});

	describe('update visitor by email', () => {
		test('PUT merges string values into customer_info and echoes the email', async () => {
			const visitor = sandbox.dataset.visitors[3];
			const before = { ...visitor.customer_info };
			const res = await update(visitor.email, JSON.stringify({ band: 'premium', seats: 12, active: true }));
			expect(res).toEqual(expect.objectContaining({ status: 200, body: { data: visitor.email } }));
			expect(visitor.customer_info).toEqual({ ...before, band: 'premium', seats: '12', active: 'true' });
			const second = await update(visitor.email, JSON.stringify({ band: 'gold' }));
			expect(second.status).toBe(200);
			expect(visitor.customer_info).toEqual({ ...before, band: 'gold', seats: '12', active: 'true' });
			const listed = await api(sandbox, v1(sandbox, '/visitorsview/-1/visitors'));
			expect(listed.body.data.visitorlist.find((v: { id: string }) => v.id === visitor.id).customer_info.band).toBe('gold');
		});

		test('POST is accepted too, and the email matches case-insensitively', async () => {
			const visitor = sandbox.dataset.visitors[0];
			const res = await update(visitor.email.toUpperCase(), '{"source":"n8n"}', 'POST');
			expect(res.body).toEqual({ data: visitor.email });
			expect(visitor.customer_info.source).toBe('n8n');
		});

		test('customerinfo in a form body is accepted', async () => {
			const visitor = sandbox.dataset.visitors[1];
			const res = await api(sandbox, v1(sandbox, `/visitorsbyemail/${visitor.email}`), {
				method: 'PUT',
				body: new URLSearchParams({ customerinfo: '{"tier":"b"}' }),
			});
			expect(res.status).toBe(200);
			expect(visitor.customer_info.tier).toBe('b');
		});

		test.each([
			['missing', null],
			['not JSON', '{band:premium'],
			['an array', '["a"]'],
			['a string', '"text"'],
			['a nested object', '{"a":{"b":"c"}}'],
			['a null value', '{"a":null}'],
		])('customerinfo that is %s is 1011 with param customerinfo', async (_name, info) => {
			const visitor = sandbox.dataset.visitors[2];
			const before = JSON.stringify(visitor.customer_info);
			const res = await update(visitor.email, info);
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error: { code: 1011, message: expect.any(String), param: 'customerinfo' } });
			expect(JSON.stringify(visitor.customer_info)).toBe(before);
		});

		test('an unknown email is 404 with 2311', async () => {
			const res = await update('nobody@nowhere.example', '{"a":"b"}');
			expect(res).toEqual(expect.objectContaining({ status: 404, body: { error: { code: 2311, message: 'No Visitor found' } } }));
		});
	});

	describe('push notifications', () => {
		const push = (params: Record<string, string>, where: 'query' | 'form' = 'query') =>
			where === 'query'
				? api(sandbox, v1(sandbox, `/pushnotification?${new URLSearchParams(params)}`), { method: 'POST' })
				: api(sandbox, v1(sandbox, '/pushnotification'), { method: 'POST', body: new URLSearchParams(params) });

		const full = {
			email: 'app.user@example.com',
			title: 'Your order shipped',
			message: 'Track it in the app',
			badgecount: '2',
			bundleids: 'com.example.app, com.example.beta',
		};

		test('send with query parameters answers {"data":"success"} and is recorded', async () => {
			const res = await push({ ...full, addinfo: '{"imgpath":"https://cdn.example.com/a.png"}' });
			expect(res).toEqual(expect.objectContaining({ status: 200, body: { data: 'success' } }));
			expect(sandbox.sentNotifications()).toEqual([
				{
					mode: 'send',
					email: full.email,
					title: full.title,
					message: full.message,
					badgecount: 2,
					bundleids: ['com.example.app', 'com.example.beta'],
					addinfo: { imgpath: 'https://cdn.example.com/a.png' },
					time: expect.any(Number),
				},
			]);
		});

		test('send with a form body works the same', async () => {
			expect((await push(full, 'form')).body).toEqual({ data: 'success' });
			expect(sandbox.sentNotifications()[0].title).toBe(full.title);
		});

		test('clear badge needs only email, badgecount=0 and bundleids', async () => {
			const res = await push({ email: full.email, badgecount: '0', bundleids: 'com.example.app' });
			expect(res.body).toEqual({ data: 'success' });
			expect(sandbox.sentNotifications()[0]).toEqual({
				mode: 'clear',
				email: full.email,
				badgecount: 0,
				bundleids: ['com.example.app'],
				time: expect.any(Number),
			});
		});

		test.each(['email', 'title', 'message', 'badgecount', 'bundleids'])('a missing %s is 1011 with that param', async (param) => {
			const params: Record<string, string> = { ...full };
			delete params[param];
			const res = await push(params);
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error: { code: 1011, message: expect.any(String), param } });
			expect(sandbox.sentNotifications()).toEqual([]);
		});

		test.each([
			['badgecount', 'many'],
			['email', 'not-an-email'],
			['addinfo', '{broken'],
			['addinfo', '[1]'],
			['bundleids', ' , '],
		])('an invalid %s (%s) is 1011 with that param', async (param, value) => {
			const res = await push({ ...full, [param]: value });
			expect(res.body.error).toEqual(expect.objectContaining({ code: 1011, param }));
		});
	});
});
