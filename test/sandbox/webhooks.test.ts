import { createPublicKey, verify } from 'node:crypto';
import { CONVERSATION_EVENTS, startSandbox } from './index';
import type { Sandbox } from './index';
import { api, subscriber } from './helpers';

type Subscriber = Awaited<ReturnType<typeof subscriber>>;

describe('sandbox v2 portals, apps and departments', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ chats: 5, visitors: 5, seed: 12 });
	});
	afterAll(() => sandbox.stop());

	test('GET /api/v2/portals lists the portal in the v2 list envelope', async () => {
		const res = await api(sandbox, '/api/v2/portals');
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			url: '/api/v2/portals',
			object: 'list',
			data: [expect.objectContaining({ screenname: sandbox.screenName, name: sandbox.dataset.portal.name })],
			sync_time: expect.stringMatching(/^\d{13}$/),
		});
	});

	test('apps (brands) are listed with id and name', async () => {
		const res = await api(sandbox, `/api/v2/${sandbox.screenName}/apps`);
		expect(res.body).toEqual({
			url: `/api/v2/${sandbox.screenName}/apps`,
			object: 'list',
			data: sandbox.dataset.apps,
			sync_time: expect.stringMatching(/^\d{13}$/),
		});
		expect(res.body.data.length).toBeGreaterThanOrEqual(2);
		for (const app of res.body.data) expect(app).toEqual({ id: expect.stringMatching(/^\d{16}$/), name: expect.any(String) });
	});

	test('departments are listed with string flags and page with index and limit', async () => {
		const path = `/api/v2/${sandbox.screenName}/departments`;
		const res = await api(sandbox, path);
		expect(res.body).toMatchObject({ url: path, object: 'list', sync_time: expect.any(String) });
		expect(res.body.data).toEqual(sandbox.dataset.departments);
		expect(res.body.data[0]).toEqual(
			expect.objectContaining({ id: expect.any(String), name: expect.any(String), display_name: expect.any(String), is_enabled: 'true', is_public: 'true' }),
		);
		const second = await api(sandbox, `${path}?index=2&limit=1`);
		expect(second.body.data).toEqual([sandbox.dataset.departments[1]]);
		expect((await api(sandbox, `${path}?index=0`)).body.error).toMatchObject({ code: 1011, param: 'index' });
	});
});

describe('sandbox v2 webhooks', () => {
	let sandbox: Sandbox;
	let sub: Subscriber;
	let path: string;

	beforeEach(async () => {
		sandbox = await startSandbox({ chats: 50, visitors: 10, seed: 21 });
		sub = await subscriber();
		path = `/api/v2/${sandbox.screenName}/webhooks`;
	});
	afterEach(async () => {
		await sandbox.stop();
		await sub.close();
	});

	const create = (body: Record<string, unknown>) =>
		api(sandbox, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const valid = () => ({ type: 'data', url: sub.url, events: ['conversation.created', 'conversation.completed'], version: '1' });

	test('create sends HEAD to the URL first, then returns the webhook; get, list, update and delete work', async () => {
		const res = await create({ ...valid(), app_ids: [sandbox.dataset.apps[0].id], secured: true });
		expect(sub.received.map((r) => r.method)).toEqual(['HEAD']);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			url: path,
			object: 'webhook',
			data: expect.objectContaining({
				id: expect.stringMatching(/^\d{17}$/),
				type: 'data',
				url: sub.url,
				events: ['conversation.created', 'conversation.completed'],
				app_ids: [sandbox.dataset.apps[0].id],
				secured: true,
				version: '1',
			}),
		});
		const id: string = res.body.data.id;
		expect((await api(sandbox, `${path}/${id}`)).body).toEqual({ url: `${path}/${id}`, object: 'webhook', data: res.body.data });
		const list = await api(sandbox, path);
		expect(list.body).toEqual({ url: path, object: 'list', data: [res.body.data], sync_time: expect.any(String) });

		const updated = await api(sandbox, `${path}/${id}`, { method: 'PUT', body: JSON.stringify({ events: ['conversation.missed'], app_ids: [] }) });
		expect(updated.body.data).toEqual(expect.objectContaining({ id, events: ['conversation.missed'], app_ids: [], secured: true }));
		expect(sub.received).toHaveLength(1);
		expect(sandbox.webhooks()).toEqual([updated.body.data]);

		const deleted = await api(sandbox, `${path}/${id}`, { method: 'DELETE' });
		expect(deleted.body).toEqual({ url: `${path}/${id}`, object: 'webhook', data: 'success' });
		const gone = await api(sandbox, `${path}/${id}`);
		expect(gone).toMatchObject({ status: 404, body: { error: { code: 1019 } } });
		expect((await api(sandbox, `${path}/${id}`, { method: 'DELETE' })).status).toBe(404);
	});

	test('a URL that does not answer HEAD with 200 is refused with 1011 json_key url', async () => {
		const refusing = await subscriber({ headStatus: 405 });
		try {
			const res = await create({ ...valid(), url: refusing.url });
			expect(res.status).toBe(400);
			expect(res.body).toEqual({ error: { code: 1011, message: expect.any(String), json_key: 'url' } });
			expect(refusing.received.map((r) => r.method)).toEqual(['HEAD']);
		} finally {
			await refusing.close();
		}
		const closedPort = await create({ ...valid(), url: 'http://127.0.0.1:9/hook' });
		expect(closedPort.body.error.json_key).toBe('url');
		expect(sandbox.webhooks()).toEqual([]);
	});

	test('changing the URL with PUT checks the new URL with HEAD', async () => {
		const id = (await create(valid())).body.data.id;
		const refusing = await subscriber({ headStatus: 404 });
		try {
			const res = await api(sandbox, `${path}/${id}`, { method: 'PUT', body: JSON.stringify({ url: refusing.url }) });
			expect(res.body.error).toMatchObject({ code: 1011, json_key: 'url' });
			expect(sandbox.webhooks()[0].url).toBe(sub.url);
		} finally {
			await refusing.close();
		}
	});

	test.each([
		['type', { type: 'everything' }, 'type'],
		['missing url', { url: undefined }, 'url'],
		['relative url', { url: '/hook' }, 'url'],
		['empty events', { events: [] }, 'events'],
		['unknown event', { events: ['conversation.created', 'conversation.exploded'] }, 'events[1]'],
		['admin event on a data webhook', { events: ['operator.created'] }, 'events[0]'],
		['version', { version: '2' }, 'version'],
		['missing version', { version: undefined }, 'version'],
		['unknown app', { app_ids: ['123'] }, 'app_ids[0]'],
		['secured', { secured: 'yes' }, 'secured'],
	])('invalid %s is 1011 with json_key', async (_name, change, key) => {
		const res = await create({ ...valid(), ...change });
		expect(res.status).toBe(400);
		expect(res.body.error).toEqual({ code: 1011, message: expect.any(String), json_key: key });
		expect(sub.received).toHaveLength(0);
	});

	test('a body that is not JSON is 1015', async () => {
		const res = await api(sandbox, path, { method: 'POST', body: 'type=data' });
		expect(res).toMatchObject({ status: 400, body: { error: { code: 1015 } } });
	});

	test('all 15 conversation events are accepted; administration webhooks take admin events', async () => {
		expect(CONVERSATION_EVENTS).toHaveLength(15);
		expect((await create({ ...valid(), events: CONVERSATION_EVENTS })).status).toBe(200);
		const admin = await create({ type: 'administration', url: sub.url, events: ['operator.created'], version: '1' });
		expect(admin.body.data).toMatchObject({ type: 'administration', events: ['operator.created'] });
	});

	test('keys: POST .../keys answers the webhook with public_keys[]; at most 2 keys; details list them', async () => {
		const created = (await create({ ...valid(), secured: true })).body.data;
		expect(created.public_keys).toEqual([]);
		const id = created.id;
		const res = await api(sandbox, `${path}/${id}/keys`, { method: 'POST' });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ url: `${path}/${id}/keys`, object: 'webhook' });
		expect(res.body.data).toMatchObject({ id, secured: true });
		const keyRecord = {
			key: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n/),
			creator: { id: sandbox.dataset.portal.owner.operator_id },
			created_time: expect.stringMatching(/^\d{13}$/),
			id: expect.stringMatching(/^\d+$/),
		};
		expect(res.body.data.public_keys).toEqual([keyRecord]);
		const key = createPublicKey(res.body.data.public_keys[0].key);
		expect(key.asymmetricKeyType).toBe('rsa');
		expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
		const second = await api(sandbox, `${path}/${id}/keys`, { method: 'POST' });
		expect(second.body.data.public_keys).toEqual([res.body.data.public_keys[0], keyRecord]);
		const third = await api(sandbox, `${path}/${id}/keys`, { method: 'POST' });
		expect(third).toMatchObject({ status: 400, body: { error: { code: 1017 } } });
		expect((await api(sandbox, `${path}/${id}`)).body.data.public_keys).toEqual(second.body.data.public_keys);
		expect((await api(sandbox, `${path}/999/keys`, { method: 'POST' })).body.error.code).toBe(1019);
		const removed = await api(sandbox, `${path}/${id}/keys/${res.body.data.public_keys[0].id}`, { method: 'DELETE' });
		expect(removed.body.data).toBe('success');
		expect((await api(sandbox, `${path}/${id}`)).body.data.public_keys).toEqual([second.body.data.public_keys[1]]);
	}, 20_000);

	describe('event delivery', () => {
		test('a secured webhook receives the documented body signed with x-siqsignature over the raw bytes', async () => {
			const id = (await create({ ...valid(), secured: true })).body.data.id;
			const publicKey = (await api(sandbox, `${path}/${id}/keys`, { method: 'POST' })).body.data.public_keys[0].key;
			const chat = sandbox.dataset.chats[0];
			const results = await sandbox.deliverEvent({ event: 'conversation.created', chatId: chat.chat_id });
			expect(results).toEqual([{ webhookId: id, url: sub.url, status: 200, attempts: [{ attempt: 1, status: 200, body: 'ok' }] }]);
			const [post] = sub.posts();
			expect(post.headers['content-type']).toBe('application/json');
			const signature = post.headers['x-siqsignature'] as string;
			expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
			expect(verify('sha256', Buffer.from(post.body, 'utf8'), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
			const body = JSON.parse(post.body);
			expect(body).toEqual({
				entity_type: 'conversation',
				webhook: { id },
				org_id: sandbox.dataset.portal.org_id,
				event: 'conversation.created',
				entity_id: body.entity.id,
				attempt: 1,
				version: '1',
				app_id: chat.embed_id,
				event_time: expect.stringMatching(/^\d{13}$/),
				entity: expect.objectContaining({
					id: expect.stringMatching(/^\d+$/),
					reference_id: chat.chat_id,
					question: chat.question,
					opened_time: chat.chatinitiated_time,
					department_id: chat.department_id,
					status: 'Live',
					chat_status: { status_code: 0, state: 1, label: 'Live' },
					visitor: expect.objectContaining({ name: chat.visitor_name }),
				}),
			});
		}, 20_000);

		test('a tampered body fails verification; signed:false sends no signature', async () => {
			const id = (await create({ ...valid(), secured: true })).body.data.id;
			const publicKey = (await api(sandbox, `${path}/${id}/keys`, { method: 'POST' })).body.data.public_keys[0].key;
			await sandbox.deliverEvent({ event: 'conversation.completed', tamper: true });
			const [tampered] = sub.posts();
			const signature = Buffer.from(tampered.headers['x-siqsignature'] as string, 'base64');
			expect(verify('sha256', Buffer.from(tampered.body), publicKey, signature)).toBe(false);
			expect(JSON.parse(tampered.body).event).toBe('conversation.completed');
			await sandbox.deliverEvent({ event: 'conversation.completed', signed: false });
			expect(sub.posts()[1].headers['x-siqsignature']).toBeUndefined();
		}, 20_000);

		test('a secured webhook without a key gets one created on first delivery; the oldest key signs', async () => {
			const id = (await create({ ...valid(), secured: true })).body.data.id;
			await sandbox.deliverEvent({ event: 'conversation.created' });
			const keys = (await api(sandbox, `${path}/${id}/keys`, { method: 'POST' })).body.data.public_keys;
			expect(keys).toHaveLength(2);
			const publicKey = keys[0].key;
			const [post] = sub.posts();
			expect(verify('sha256', Buffer.from(post.body), publicKey, Buffer.from(post.headers['x-siqsignature'] as string, 'base64'))).toBe(true);
		}, 20_000);

		test('unsecured webhooks get no signature; only subscribed events and brands are delivered', async () => {
			const appA = sandbox.dataset.apps[0].id;
			const appB = sandbox.dataset.apps[1].id;
			const other = await subscriber();
			try {
				const a = (await create({ ...valid(), app_ids: [appA] })).body.data.id;
				const b = (await create({ ...valid(), url: other.url, events: ['conversation.missed'] })).body.data.id;
				const chatA = sandbox.dataset.chats.find((c) => c.embed_id === appA) as { chat_id: string };
				const chatB = sandbox.dataset.chats.find((c) => c.embed_id === appB) as { chat_id: string };
				expect((await sandbox.deliverEvent({ event: 'conversation.created', chatId: chatA.chat_id })).map((r) => r.webhookId)).toEqual([a]);
				expect(await sandbox.deliverEvent({ event: 'conversation.created', chatId: chatB.chat_id })).toEqual([]);
				expect((await sandbox.deliverEvent({ event: 'conversation.missed' })).map((r) => r.webhookId)).toEqual([b]);
				expect(await sandbox.deliverEvent({ event: 'conversation.missed', webhookId: a })).toEqual([]);
				expect(sub.posts()).toHaveLength(1);
				expect(sub.posts()[0].headers['x-siqsignature']).toBeUndefined();
				expect(other.posts()).toHaveLength(1);
				expect(sandbox.deliveries().map((d) => d.webhookId)).toEqual([a, b]);
			} finally {
				await other.close();
			}
		});

		test('retries redeliver with attempt + 1 after a non-2xx answer, and a 410 deactivates the webhook', async () => {
			const id = (await create(valid())).body.data.id;
			sub.answer(500, 503, 200);
			const [result] = await sandbox.deliverEvent({ event: 'conversation.created', retries: 3 });
			expect(result.attempts.map((a) => [a.attempt, a.status])).toEqual([
				[1, 500],
				[2, 503],
				[3, 200],
			]);
			expect(sub.posts().map((p) => JSON.parse(p.body).attempt)).toEqual([1, 2, 3]);
			// A redelivery is the same event: its event_time does not move.
			expect(new Set(sub.posts().map((p) => JSON.parse(p.body).event_time)).size).toBe(1);
			sub.answer(500);
			const [noRetry] = await sandbox.deliverEvent({ event: 'conversation.created', attempt: 4 });
			expect(noRetry.attempts).toEqual([{ attempt: 4, status: 500, body: 'ok' }]);
			sub.answer(410);
			expect((await sandbox.deliverEvent({ event: 'conversation.created', retries: 2 }))[0].attempts).toHaveLength(1);
			expect(sandbox.webhooks().find((w) => w.id === id)?.status).toBe('inactive');
			expect(await sandbox.deliverEvent({ event: 'conversation.created' })).toEqual([]);
		});

		test('eventTime sets event_time, for replaying one event', async () => {
			await create(valid());
			sub.answer(200);
			await sandbox.deliverEvent({ event: 'conversation.created', eventTime: 1612943653720 });
			expect(JSON.parse(sub.posts().at(-1)!.body).event_time).toBe('1612943653720');
		});

		test('a custom entity is sent as given', async () => {
			await create(valid());
			const entity = { id: '1234', question: 'custom', app_id: sandbox.dataset.apps[0].id };
			await sandbox.deliverEvent({ event: 'conversation.created', entity });
			const body = JSON.parse(sub.posts()[0].body);
			expect(body.entity).toEqual(entity);
			expect(body.entity_id).toBe('1234');
		});
	});
});
