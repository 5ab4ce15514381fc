/**
 * Redirects of API calls (cases HOST-13 to HOST-19): the token never leaves the credential's
 * SalesIQ origin, a write is never redirected, and a read follows a redirect only on the same
 * origin. A hostile SalesIQ double redirects; a "foreign" server stands for any other host and
 * must never be contacted.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import { caseTitle, VALID_PARAMETERS } from './cases';
import { REDIRECT_STATUSES } from './hostile-cases';
import { answer, redirect, startHostileApi, type HostileApi } from './hostile';
import { finalChecks, installChecks, observe, outcome, runChecked, startServer, textOf, type TestServer } from './support';

installChecks();

let foreign: TestServer;
let api: HostileApi;
/** What the double answers next: set by each test. */
let respond: (path: string, method: string) => { status: number; location?: string; body?: unknown } = () => ({ status: 404 });

const V1 = '/api/v1/zylker';
const QUERY = 'email=tom%40zylker.example&token=1000.leaked.query';

beforeAll(async () => {
	foreign = await startServer((_req, res) => answer(res, 200, { data: { chat_id: 'from-the-other-host', visitorlist: [], status: 'success' } }));
	api = await startHostileApi({
		api: (req, res) => {
			const got = respond(req.url ?? '', req.method ?? '');
			if (got.location !== undefined) return redirect(res, got.status, got.location);
			answer(res, got.status, got.body ?? { error: { code: 1006, message: 'Invalid URL' } });
		},
	});
});
afterAll(async () => {
	await foreign.close();
	await api.close();
});
beforeEach(() => {
	foreign.requests.length = 0;
	api.requests.length = 0;
});

const push = VALID_PARAMETERS['push.send'];

const elsewhere = (path: string) => `${foreign.url}${path}?${QUERY}`;
/** What the error says (message, description, stored response); the node's own parameters are not part of it. */
const errorText = (result: { error?: unknown }) => {
	const error = result.error as { message?: string; description?: string; errorResponse?: unknown } | undefined;
	return `${error?.message} ${error?.description} ${textOf(error?.errorResponse)}`;
};

function expectRefused(result: Awaited<ReturnType<typeof runChecked>>) {
	expect(result.error?.name).toBe('NodeApiError');
	expect(result.error?.message).toContain(foreign.host);
	expect(errorText(result)).not.toContain('leaked.query');
	expect(errorText(result)).not.toContain('zylker.example');
	expect(result.items).toEqual([]);
	expect(foreign.requests).toEqual([]);
}

describe('a redirect to another host is never followed', () => {
	it.each(REDIRECT_STATUSES.map((status) => [caseTitle(`HOST-13-${status}`), status] as const))('%s', async (_title, status) => {
		respond = (path) => (path === `${V1}/chats/282` ? { status, location: elsewhere('/api/v1/zylker/chats/282') } : { status: 404 });
		const result = await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '282' }, credential: api.credential(), label: `HOST-13-${status}` });
		observe(`HOST-13-${status}`, outcome(result, `${foreign.requests.length} request(s) to the other host`));

		expectRefused(result);
		expect(api.apiRequests()).toHaveLength(1);
	});

	it(caseTitle('HOST-14'), async () => {
		respond = (path) =>
			path.includes('startkey=')
				? { status: 302, location: elsewhere('/api/v1/zylker/visitorsview/-1/visitors') }
				: { status: 200, body: { data: { startkey: 'k2', visitorlist: [{ id: 'v1', name: 'Tom' }] } } };
		const result = await runChecked({
			parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true },
			credential: api.credential(),
			label: 'HOST-14',
		});
		observe('HOST-14', outcome(result, `${foreign.requests.length} request(s) to the other host`));

		expectRefused(result);
		expect(api.apiRequests()).toHaveLength(2);
	});

	it.each(['302', '303'].map((status) => [caseTitle(`HOST-15-${status}`), Number(status)] as const))('%s', async (_title, status) => {
		respond = () => ({ status, location: elsewhere('/api/v1/zylker/pushnotification') });
		const result = await runChecked({ parameters: push, credential: api.credential(), label: `HOST-15-${status}` });
		observe(`HOST-15-${status}`, outcome(result, `${foreign.requests.length} request(s) to the other host`));

		expectRefused(result);
		expect(api.apiRequests().map((r) => r.method)).toEqual(['POST']);
	});

	it.each(['307', '308'].map((status) => [caseTitle(`HOST-16-${status}`), Number(status)] as const))('%s', async (_title, status) => {
		respond = () => ({ status, location: elsewhere('/api/v1/zylker/visitorsbyemail/tom@zylker.example') });
		const result = await runChecked({
			parameters: { resource: 'visitor', operation: 'update', email: 'tom@zylker.example', customerInfo: { field: [{ key: 'plan', value: 'gold' }] } },
			credential: api.credential(),
			label: `HOST-16-${status}`,
		});
		observe(`HOST-16-${status}`, outcome(result, `${foreign.requests.length} request(s) to the other host`));

		expectRefused(result);
		expect(api.apiRequests().map((r) => r.method)).toEqual(['PUT']);
	});

	it(caseTitle('HOST-19'), async () => {
		respond = () => ({ status: 302, location: `http://${foreign.host}/x?${QUERY}` });
		const result = await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '282' }, credential: api.credential(), label: 'HOST-19' });
		observe('HOST-19', outcome(result));

		expectRefused(result);
		expect(result.error?.message).not.toContain('?');
	});
});

describe('a redirect on the same origin', () => {
	it(caseTitle('HOST-17'), async () => {
		respond = (path) =>
			path.startsWith(`${V1}/pushnotification`) && !path.includes('moved=1')
				? { status: 307, location: `${V1}/pushnotification?moved=1` }
				: { status: 200, body: { data: { status: 'success' } } };
		const result = await runChecked({ parameters: push, credential: api.credential(), label: 'HOST-17' });
		observe('HOST-17', outcome(result, `${api.apiRequests().length} request(s)`));

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/redirect/i);
		expect(result.items).toEqual([]);
		expect(api.apiRequests()).toHaveLength(1);
	});

	it(caseTitle('HOST-18'), async () => {
		const chat = { chat_id: '283', question: 'Where is my order?' };
		respond = (path) =>
			path === `${V1}/chats/283` ? { status: 302, location: `${V1}/chats/283?moved=1` } : { status: 200, body: { data: chat } };
		const result = await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '283' }, credential: api.credential(), label: 'HOST-18' });
		observe('HOST-18', outcome(result, `requests: ${api.apiRequests().map((r) => r.path).join(', ')}`));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([chat]);
		expect(api.apiRequests().map((r) => [r.path, r.headers.authorization])).toEqual([
			[`${V1}/chats/283`, `Bearer ${api.accessToken}`],
			[`${V1}/chats/283?moved=1`, `Bearer ${api.accessToken}`],
		]);
	});
});

finalChecks();
