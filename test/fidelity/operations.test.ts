/**
 * Every operation under every value of each variant that touches it, then under all non-default
 * values at once. Each case compares the items with the same operation against the default sandbox
 * (same seed, same data), and asserts the requests sent, the token refreshes and the writes.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { HarnessCredentialsHelper, credentialTypes, runNode, type RunResult } from '../harness';
import type { Sandbox } from '../sandbox';
import { casesFor, caseTitle, type FidelityCase, variantsOf } from './points';
import { comparable, credentialOf, fidelitySandbox, normalized, refreshes, sent, type SentRequest } from './support';

const LONG_CHAT = '1063';
const ISO = (ms: string | number) => new Date(Number(ms)).toISOString();

interface Scenario {
	parameters: (sb: Sandbox) => INodeParameters;
	/** Requests the operation must send (given the sandbox), checked after the run. */
	requests: (sb: Sandbox, got: SentRequest[], c: FidelityCase) => void;
	/** Writes the sandbox performs. */
	writes: number;
	/** Checks of the data after the run, besides the items. */
	effect?: (sb: Sandbox) => void;
}

const v1 = (sb: Sandbox, rest: string) => `/api/v1/${sb.screenName}${rest}`;
/** The last file of the long transcript: finding it by file id reads several transcript pages. */
const fileOf = (sb: Sandbox) => sb.dataset.transcript(LONG_CHAT)!.attachments.at(-1)!;

/** A paged list: only GETs of `path` with the token, `limit` and the time bounds; no more than one request above the default run's. */
function listRequests(path: (sb: Sandbox) => string) {
	return (sb: Sandbox, got: SentRequest[]) => {
		const api = got.filter((r) => r.path.startsWith('/api/'));
		expect(api.length).toBeGreaterThan(1);
		for (const r of api) {
			expect([r.method, r.path, r.authorization]).toEqual(['GET', path(sb), true]);
			expect(Object.keys(r.query).every((k) => ['limit', 'fromtime', 'totime'].includes(k))).toBe(true);
		}
	};
}

const SCENARIOS: Record<string, Scenario> = {
	'Chat: Get Many (Return All)': {
		parameters: () => ({ resource: 'chat', operation: 'getAll', returnAll: true }),
		requests: listRequests((sb) => v1(sb, '/chats')),
		writes: 0,
	},
	'Chat: Get Many (Limit)': {
		parameters: () => ({ resource: 'chat', operation: 'getAll', returnAll: false, limit: 130 }),
		requests: listRequests((sb) => v1(sb, '/chats')),
		writes: 0,
	},
	'Chat: Get Many (From/To)': {
		parameters: (sb) => ({
			resource: 'chat',
			operation: 'getAll',
			returnAll: true,
			filters: { fromTime: ISO(sb.dataset.chats[140].chatinitiated_time), toTime: ISO(sb.dataset.chats[3].chatinitiated_time) },
		}),
		requests: listRequests((sb) => v1(sb, '/chats')),
		writes: 0,
	},
	'Chat: Get': {
		parameters: (sb) => ({ resource: 'chat', operation: 'get', chatId: sb.dataset.chats[7].chat_id }),
		requests: (sb, got) => expect(got).toEqual([{ method: 'GET', path: v1(sb, `/chats/${sb.dataset.chats[7].chat_id}`), query: {}, authorization: true, host: 'api' }]),
		writes: 0,
	},
	'Transcript: Get': {
		parameters: () => ({ resource: 'transcript', operation: 'get', chatId: LONG_CHAT, returnAll: true }),
		requests: listRequests((sb) => v1(sb, `/chats/${LONG_CHAT}/transcript`)),
		writes: 0,
	},
	'Attachment: Get Many': {
		parameters: () => ({ resource: 'attachment', operation: 'getAll', chatId: LONG_CHAT }),
		requests: listRequests((sb) => v1(sb, `/chats/${LONG_CHAT}/transcript`)),
		writes: 0,
	},
	'Attachment: Download': {
		parameters: (sb) => ({ resource: 'attachment', operation: 'download', chatId: LONG_CHAT, attachmentUrl: fileOf(sb).fileId, binaryPropertyName: 'data' }),
		requests: (sb, got, c) => {
			const transcript = got.filter((r) => r.path === v1(sb, `/chats/${LONG_CHAT}/transcript`));
			expect(transcript.length).toBeGreaterThan(1);
			const rest = got.slice(transcript.length);
			const files = c.variant === 'files' ? c.value : c.variant === 'all' ? 'redirect' : 'api-host';
			const download = [
				{ method: 'GET', path: v1(sb, `/chats/${LONG_CHAT}${fileOf(sb).url}`), query: {}, authorization: true, host: 'api' },
				...(files === 'file-domain' ? [] : [{ method: 'GET', path: expect.stringMatching(/^\/pubdownload\//), query: {}, authorization: false, host: 'api' }]),
				...(files === 'api-host' ? [] : [{ method: 'GET', path: expect.stringMatching(/^\/public\/salesiq\//), query: {}, authorization: false, host: 'files' }]),
			];
			expect(rest).toEqual(download);
		},
		writes: 0,
	},
	'Visitor: Update': {
		parameters: (sb) => ({ resource: 'visitor', operation: 'update', email: sb.dataset.visitors[4].email, customerInfo: { field: [{ key: 'plan', value: 'gold' }] } }),
		requests: (sb, got, c) => {
			const path = v1(sb, `/visitorsbyemail/${sb.dataset.visitors[4].email}`);
			const one = (method: string) => ({ method, path, query: { customerinfo: '{"plan":"gold"}' }, authorization: true, host: 'api' });
			const postOnly = (c.variant === 'visitor-update' && c.value === 'post-only') || c.variant === 'all';
			expect(got).toEqual(postOnly ? [one('PUT'), one('POST')] : [one('PUT')]);
		},
		writes: 1,
		effect: (sb) => expect(sb.dataset.visitors[4].customer_info.plan).toBe('gold'),
	},
	'Push Notification: Send': {
		parameters: (sb) => ({
			resource: 'pushNotification',
			operation: 'send',
			email: sb.dataset.visitors[2].email,
			title: 'Order shipped',
			message: 'It arrives tomorrow',
			bundleIds: 'com.zylker.app',
			badgeCount: 1,
		}),
		requests: (sb, got) =>
			expect(got).toEqual([
				{
					method: 'POST',
					path: v1(sb, '/pushnotification'),
					query: { email: sb.dataset.visitors[2].email, title: 'Order shipped', message: 'It arrives tomorrow', badgecount: '1', bundleids: 'com.zylker.app' },
					authorization: true,
					host: 'api',
				},
			]),
		writes: 1,
		effect: (sb) => expect(sb.sentNotifications().map((n) => n.mode)).toEqual(['send']),
	},
	'Push Notification: Clear Badge': {
		parameters: (sb) => ({ resource: 'pushNotification', operation: 'clearBadge', email: sb.dataset.visitors[2].email, bundleIds: 'com.zylker.app' }),
		requests: (sb, got) =>
			expect(got).toEqual([
				{
					method: 'POST',
					path: v1(sb, '/pushnotification'),
					query: { email: sb.dataset.visitors[2].email, badgecount: '0', bundleids: 'com.zylker.app' },
					authorization: true,
					host: 'api',
				},
			]),
		writes: 1,
		effect: (sb) => expect(sb.sentNotifications().map((n) => n.mode)).toEqual(['clear']),
	},
};

/** Errors under the `errors` variant: a chat, a transcript and a visitor that do not exist. */
const ERROR_PARAMETERS: Record<string, [INodeParameters, string]> = {
	'Chat: Get': [{ resource: 'chat', operation: 'get', chatId: '999999' }, 'Zoho SalesIQ error 2021: Invalid chat_id'],
	'Transcript: Get': [{ resource: 'transcript', operation: 'get', chatId: '999999', returnAll: true }, 'Zoho SalesIQ error 2031: Invalid chat_id'],
	'Visitor: Update': [
		{ resource: 'visitor', operation: 'update', email: 'nobody@nowhere.example', customerInfo: { field: [{ key: 'a', value: 'b' }] } },
		'Zoho SalesIQ error 2311: No Visitor found',
	],
};

/** Scope a credential lacks in the `scope-error` cases, per operation. */
const NEEDED_SCOPE: Record<string, string> = {
	'Chat: Get Many (Return All)': 'SalesIQ.chatdetails.READ',
	'Transcript: Get': 'SalesIQ.chattranscript.READ',
	'Visitor: Update': 'SalesIQ.visitordetails.UPDATE',
	'Push Notification: Send': 'SalesIQ.PushNotifications.UPDATE',
};

/** Runs Zoho's authorization-code flow against the sandbox for a token with only SalesIQ.portals.READ. */
async function narrowToken(sb: Sandbox) {
	const redirectUri = 'http://127.0.0.1:9/callback';
	const auth = new URL('/oauth/v2/auth', sb.url);
	auth.search = new URLSearchParams({ response_type: 'code', client_id: sb.clientId, scope: 'SalesIQ.portals.READ', redirect_uri: redirectUri, access_type: 'offline' }).toString();
	const code = new URL((await fetch(auth, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
	const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: sb.clientId, client_secret: sb.clientSecret, redirect_uri: redirectUri, code });
	const token = (await (await fetch(new URL('/oauth/v2/token', sb.url), { method: 'POST', body })).json()) as { access_token: string; refresh_token: string };
	return { accessToken: token.access_token, refreshToken: token.refresh_token };
}

const baselines = new Map<string, unknown>();

/** The operation's items on a sandbox with every variant at its default (and delivery as given: it changes brand ids only). */
async function baseline(operation: string, scenario: Scenario): Promise<unknown> {
	if (!baselines.has(operation)) {
		const sb = await fidelitySandbox();
		try {
			const result = await runNode({ parameters: scenario.parameters(sb), credential: credentialOf(sb) });
			expect(result.error).toBeUndefined();
			baselines.set(operation, normalized(sb, comparable(result.items as never)));
		} finally {
			await sb.stop();
		}
	}
	return baselines.get(operation);
}

function expectDataset(operation: string, sb: Sandbox, result: RunResult): void {
	const chats = sb.dataset.chats;
	const ids = result.json.map((j) => j.chat_id);
	if (operation === 'Chat: Get Many (Return All)') expect(ids).toEqual(chats.map((c) => c.chat_id));
	if (operation === 'Chat: Get Many (Limit)') expect(ids).toEqual(chats.slice(0, 130).map((c) => c.chat_id));
	if (operation === 'Chat: Get Many (From/To)') expect(ids).toEqual(chats.slice(3, 141).map((c) => c.chat_id));
	if (operation === 'Transcript: Get') expect(result.json).toHaveLength(sb.dataset.transcriptOf(LONG_CHAT)!.length - 1);
	if (operation === 'Attachment: Get Many') {
		expect(result.json.map((j) => j.fileId)).toEqual(sb.dataset.transcript(LONG_CHAT)!.attachments.map((a) => a.fileId));
	}
	if (operation === 'Attachment: Download') expect(Buffer.from(result.items[0].binary!.data.data, 'base64').equals(fileOf(sb).bytes)).toBe(true);
}

async function runCase(c: FidelityCase): Promise<void> {
	const scenario = SCENARIOS[c.operation];
	const expected = await baseline(c.operation, scenario);
	const sb = await fidelitySandbox(variantsOf(c));
	try {
		if (c.variant === 'errors' && ERROR_PARAMETERS[c.operation]) {
			const [parameters, message] = ERROR_PARAMETERS[c.operation];
			const result = await runNode({ parameters, credential: credentialOf(sb) });
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(message);
			expect(result.items).toEqual([]);
			expect(sent(sb).every((r) => r.authorization && r.method === (c.operation === 'Visitor: Update' ? 'PUT' : 'GET'))).toBe(true);
			expect(sent(sb)).toHaveLength(1);
			expect([refreshes(sb), sb.writes().length]).toEqual([0, 0]);
			return;
		}
		if (c.variant === 'scope-error') {
			const narrow = await narrowToken(sb);
			sb.clearRequests();
			const result = await runNode({ parameters: scenario.parameters(sb), credential: credentialOf(sb, { oauthTokenData: { access_token: narrow.accessToken, refresh_token: narrow.refreshToken, token_type: 'Bearer', expires_in: 3600 } }) });
			expect(result.error?.message).toBe('Zoho SalesIQ error 1009: Invalid OAuthScope.');
			expect(result.error?.description).toContain(NEEDED_SCOPE[c.operation]);
			expect(result.items).toEqual([]);
			expect(sent(sb)).toHaveLength(1);
			expect(sent(sb)[0].authorization).toBe(true);
			expect([refreshes(sb), sb.writes().length]).toEqual([0, 0]);
			return;
		}
		const credentialsHelper = new HarnessCredentialsHelper(credentialTypes);
		const expiring = c.variant === 'token-expiry' || (c.variant === 'all' && c.operation === 'Chat: Get');
		if (expiring) sb.expireAccessTokens();
		const result = await runNode({ parameters: scenario.parameters(sb), credential: credentialOf(sb), credentialsHelper });
		expect(result.error).toBeUndefined();
		expect(normalized(sb, comparable(result.items as never))).toEqual(expected);
		expectDataset(c.operation, sb, result);
		const got = sent(sb);
		if (expiring) {
			// The expired token is refused (1008) once; the same request goes again with the new token.
			expect(got[0]).toEqual(got[1]);
			expect(sb.requests()[0].headers.authorization).toBe(`Bearer ${sb.accessToken}`);
		}
		scenario.requests(sb, expiring ? got.slice(1) : got, c);
		expect(refreshes(sb)).toBe(expiring ? 1 : 0);
		expect(sb.writes()).toHaveLength(scenario.writes);
		scenario.effect?.(sb);
		if (expiring) {
			// The refreshed token is stored and reused by the next run: no second refresh.
			const stored = result.credential.oauthTokenData as IDataObject;
			expect(stored.access_token).not.toBe(sb.accessToken);
			sb.clearRequests();
			const again = await runNode({ parameters: scenario.parameters(sb), credential: result.credential, credentialsHelper });
			expect(again.error).toBeUndefined();
			expect(refreshes(sb)).toBe(0);
			expect(sb.requests()[0].headers.authorization).toBe(`Bearer ${String(stored.access_token)}`);
		}
	} finally {
		await sb.stop();
	}
}

describe.each(Object.keys(SCENARIOS))('fidelity: %s', (operation) => {
	const cases = casesFor(operation);
	it.each(cases.map((c) => [caseTitle(c), c] as const))('%s', async (_title, c) => await runCase(c), 60_000);
});
