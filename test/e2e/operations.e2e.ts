/**
 * Every operation of the node, run by a real n8n (`n8n execute`) with our packed package installed,
 * against the sandbox. Each workflow covers one resource; its outputs are compared with the sandbox's
 * dataset, and the sandbox's request log shows what n8n actually sent. The last test starts from an
 * expired access token: n8n refreshes it at the sandbox and stores the new one in its database.
 *
 * Runs on n8n 2.x by default and on 1.x with E2E_N8N_MAJOR=1 (`npm run test:e2e:v1`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, type LoggedRequest, type Sandbox } from '../sandbox';
import { branchWorkflow, CREDENTIAL_ID, salesIqNode, sandboxCredential } from './lib/fixtures';
import { createN8n, itemsOf, jsonOf, type N8n, type N8nItem, type N8nRun } from './lib/n8n';
import { installPackage } from './lib/package';
import { e2eMajor, packedPackage } from './lib/suite';

const WORKFLOWS = {
	chats: 'e2eOpsChats00001',
	transcripts: 'e2eOpsTranscript',
	visitors: 'e2eOpsVisitors01',
	push: 'e2eOpsPush000001',
	refresh: 'e2eOpsRefresh001',
};

let sandbox: Sandbox;
let n8n: N8n;
let screen: string;

/** Test data picked from the seeded dataset before n8n runs. */
const pick = {
	fromTime: 0,
	toTime: 0,
	chatId: '',
	visitorEmail: '',
};

function api(path: string): string {
	return `/api/v1/${screen}${path}`;
}

function bearer(request: LoggedRequest): string | undefined {
	return /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
}

/** Executes a workflow and fails with n8n's own error when the run did not succeed. */
async function run(workflowId: string): Promise<N8nRun> {
	const { run: result, code } = await n8n.execute(workflowId);
	const error = result.data.resultData.error;
	if (error || code !== 0) throw new Error(`workflow ${workflowId} failed (exit ${code}): ${error?.message ?? ''} ${error?.description ?? ''}`);
	return result;
}

/** Binary data as n8n stored it: inline base64, or a file in the instance's binary data folder. */
function binaryBytes(item: N8nItem, property = 'data'): Buffer {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`no binary property "${property}" in ${JSON.stringify(item).slice(0, 500)}`);
	if (typeof binary.data === 'string' && binary.data.length > 0 && !binary.id) return Buffer.from(binary.data, 'base64');
	const id = String(binary.id ?? '');
	const [, relative] = /^filesystem(?:-v2)?:(.+)$/.exec(id) ?? [];
	if (!relative) throw new Error(`unexpected binary data reference "${id}"`);
	// 2.x keeps files under .n8n/storage, 1.x under .n8n/binaryData.
	const file = ['storage', 'binaryData'].map((dir) => path.join(n8n.dotN8n, dir, relative)).find((f) => fs.existsSync(f));
	if (!file) throw new Error(`binary data file for "${id}" not found`);
	return fs.readFileSync(file);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
	// 300 chats over 30 days, 150 visitors: enough for two pages of chats and of visitors.
	sandbox = await startSandbox({ chats: 300, visitors: 150 });
	screen = sandbox.screenName;
	const { dataset } = sandbox;

	// A window of ~130 chats (more than one page of 100), bounded by two real chats' start times.
	pick.toTime = Number(dataset.chats[10].chatinitiated_time);
	pick.fromTime = Number(dataset.chats[140].chatinitiated_time);
	// The answered chat with the most attachments.
	const answered = dataset.chats.map((c) => dataset.chatRecord(c.chat_id)!).filter((r) => !r.missed);
	pick.chatId = answered.reduce((best, r) => (r.attachmentCount > best.attachmentCount ? r : best)).chat.chat_id;
	pick.visitorEmail = dataset.visitors.find((v) => v.email)!.email;

	n8n = await createN8n({ name: 'operations', major: e2eMajor() });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	await n8n.importWorkflow([
		branchWorkflow(WORKFLOWS.chats, 'E2E chats', [
			[
				salesIqNode('Chats in range', {
					resource: 'chat',
					operation: 'getAll',
					returnAll: true,
					filters: { fromTime: new Date(pick.fromTime).toISOString(), toTime: new Date(pick.toTime).toISOString() },
				}),
				salesIqNode('Chat details', { resource: 'chat', operation: 'get', chatId: '={{ $json.chat_id }}' }),
			],
			[salesIqNode('Newest 5 chats', { resource: 'chat', operation: 'getAll', returnAll: false, limit: 5 })],
		]),
		branchWorkflow(WORKFLOWS.transcripts, 'E2E transcripts and attachments', [
			[salesIqNode('Transcript', { resource: 'transcript', operation: 'get', chatId: pick.chatId, returnAll: true })],
			[salesIqNode('Transcript as text', { resource: 'transcript', operation: 'get', chatId: pick.chatId, returnAll: true, options: { format: 'text' } })],
			[
				salesIqNode('Attachments', { resource: 'attachment', operation: 'getAll', chatId: pick.chatId }),
				salesIqNode('Download', {
					resource: 'attachment',
					operation: 'download',
					chatId: '={{ $json.chatId }}',
					attachmentUrl: '={{ $json.url }}',
					binaryPropertyName: 'data',
				}),
			],
		]),
		branchWorkflow(WORKFLOWS.visitors, 'E2E visitors', [
			[salesIqNode('All visitors', { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true })],
			[
				salesIqNode('Update visitor', {
					resource: 'visitor',
					operation: 'update',
					email: pick.visitorEmail,
					customerInfo: { field: [{ key: 'crm_id', value: 'L-1001' }, { key: 'plan', value: 'premium' }] },
				}),
			],
		]),
		branchWorkflow(WORKFLOWS.push, 'E2E push notifications', [
			[
				salesIqNode('Send', {
					resource: 'pushNotification',
					operation: 'send',
					email: 'tom@example.com',
					title: 'Your order has shipped',
					message: 'It arrives on Tuesday.',
					bundleIds: 'com.zylker.app, com.zylker.app.beta',
					badgeCount: 3,
					additionalFields: { imagePath: 'https://www.example.com/banner.png' },
				}),
				salesIqNode('Clear badge', {
					resource: 'pushNotification',
					operation: 'clearBadge',
					email: '={{ $json.email }}',
					bundleIds: "={{ $json.bundleIds.join(',') }}",
				}),
			],
		]),
		branchWorkflow(WORKFLOWS.refresh, 'E2E token refresh', [
			[salesIqNode('Get chat', { resource: 'chat', operation: 'get', chatId: sandbox.dataset.chats[0].chat_id })],
		]),
	]);
}, 180_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

beforeEach(() => sandbox.clearRequests());

describe('chat', () => {
	it('Get Many pages through a time range and Get returns each chat', async () => {
		const result = await run(WORKFLOWS.chats);
		const { dataset } = sandbox;
		const expected = dataset.chats.filter((c) => {
			const t = Number(c.chatinitiated_time);
			return t >= pick.fromTime && t <= pick.toTime;
		});
		expect(expected.length).toBeGreaterThan(100);

		const listed = jsonOf(result, 'Chats in range');
		expect(listed.map((c) => c.chat_id)).toEqual(expected.map((c) => c.chat_id));
		expect(listed[0]).toEqual(expected[0]);

		const details = jsonOf(result, 'Chat details');
		expect(details).toEqual(expected.map((c) => dataset.chatById(c.chat_id)));

		expect(jsonOf(result, 'Newest 5 chats').map((c) => c.chat_id)).toEqual(dataset.chats.slice(0, 5).map((c) => c.chat_id));

		const lists = sandbox.requests().filter((r) => r.path === api('/chats'));
		expect(lists.every((r) => r.method === 'GET' && bearer(r) === sandbox.accessToken)).toBe(true);
		// The range needs a second page: totime moves back to the oldest chat seen, the lower bound stays.
		const ranged = lists.filter((r) => r.query.fromtime === String(pick.fromTime));
		expect(ranged.length).toBeGreaterThanOrEqual(2);
		expect(ranged[0].query).toEqual({ limit: '100', fromtime: String(pick.fromTime), totime: String(pick.toTime) });
		expect(Number(ranged[1].query.totime)).toBeLessThan(pick.toTime);
		const gets = sandbox.requests().filter((r) => /^\/api\/v1\/[^/]+\/chats\/[^/]+$/.test(r.path));
		// Reads of several items overlap, so the requests arrive in any order; the output order is checked above.
		expect(gets.map((r) => `${r.method} ${r.path}`).sort()).toEqual(expected.map((c) => `GET ${api(`/chats/${c.chat_id}`)}`).sort());
	});
});

describe('transcript and attachment', () => {
	let result: N8nRun;
	let requests: LoggedRequest[];
	beforeAll(async () => {
		sandbox.clearRequests();
		result = await run(WORKFLOWS.transcripts);
		requests = sandbox.requests();
	});

	it('Transcript Get returns every message in order, as items and as text', () => {
		const entries = sandbox.dataset.transcriptOf(pick.chatId)!;
		const messages = entries.slice(1) as Array<{ time: string; dname: string; sender: string; msg: unknown }>;
		const items = jsonOf(result, 'Transcript');
		expect(items.map((m) => [m.time, m.senderName, m.senderId])).toEqual(messages.map((m) => [Number(m.time), m.dname, m.sender]));
		expect(items.every((m) => m.chatId === pick.chatId)).toBe(true);
		const texts = messages.filter((m) => typeof m.msg === 'string');
		expect(items.filter((m) => m.type === 'text').map((m) => m.text)).toEqual(texts.map((m) => m.msg));

		const [text] = jsonOf(result, 'Transcript as text');
		const header = entries[0] as { visitor_name: string; question: string; chatinitiated_time: string };
		expect(text).toEqual(
			expect.objectContaining({ chatId: pick.chatId, visitorName: header.visitor_name, question: header.question, messageCount: messages.length }),
		);
		expect(text.conversation.split('\n')[0]).toContain(`${messages[0].dname}: ${messages[0].msg}`);

		const transcriptCalls = requests.filter((r) => r.path === api(`/chats/${pick.chatId}/transcript`));
		// Transcript, Transcript as text and Attachments each read the transcript.
		expect(transcriptCalls.length).toBeGreaterThanOrEqual(3);
		expect(transcriptCalls.every((r) => r.method === 'GET')).toBe(true);
	});

	it('Attachment Get Many lists the files and Download returns their exact bytes', () => {
		const files = sandbox.dataset.transcript(pick.chatId)!.attachments;
		expect(files.length).toBeGreaterThanOrEqual(1);
		const listed = jsonOf(result, 'Attachments');
		expect(listed.map((a) => [a.fileId, a.name, a.mimeType, a.size, a.url])).toEqual(
			files.map((f) => [f.fileId, f.fName, f.content, f.size, f.url]),
		);

		const downloads = itemsOf(result, 'Download');
		expect(downloads).toHaveLength(files.length);
		downloads.forEach((item, i) => {
			expect(item.json).toEqual(expect.objectContaining({ chatId: pick.chatId, fileId: files[i].fileId, fileName: files[i].fName, fileSize: files[i].size }));
			expect(item.binary?.data).toEqual(expect.objectContaining({ fileName: files[i].fName, mimeType: files[i].content }));
			expect(sha256(binaryBytes(item))).toBe(sha256(files[i].bytes));
		});

		const lookups = requests.filter((r) => r.path.includes('/attachments/'));
		expect(lookups.map((r) => `${r.method} ${r.path}`).sort()).toEqual(files.map((f) => `GET ${api(`/chats/${pick.chatId}${f.url}`)}`).sort());
		const fetched = requests.filter((r) => r.path.startsWith('/pubdownload/'));
		expect(fetched).toHaveLength(files.length);
		// The public download link must not receive the OAuth token.
		expect(fetched.every((r) => r.method === 'GET' && r.headers.authorization === undefined)).toBe(true);
	});
});

describe('visitor', () => {
	it('Get Many follows startkey across pages and Update merges customer info', async () => {
		const before = { ...sandbox.dataset.visitorByEmail(pick.visitorEmail)!.customer_info };
		const result = await run(WORKFLOWS.visitors);

		const all = sandbox.dataset.visitorsInView('-1')!;
		expect(all.length).toBe(150);
		expect(jsonOf(result, 'All visitors').map((v) => v.id)).toEqual(all.map((v) => v.id));
		const pages = sandbox.requests().filter((r) => r.path === api('/visitorsview/-1/visitors'));
		expect(pages.map((r) => [r.method, r.query.startkey !== undefined])).toEqual([
			['GET', false],
			['GET', true],
		]);

		expect(jsonOf(result, 'Update visitor')).toEqual([
			{ email: pick.visitorEmail, customerInfo: { crm_id: 'L-1001', plan: 'premium' } },
		]);
		expect(sandbox.dataset.visitorByEmail(pick.visitorEmail)!.customer_info).toEqual({ ...before, crm_id: 'L-1001', plan: 'premium' });
		const [update] = sandbox.requests('/visitorsbyemail/');
		expect(update.method).toBe('PUT');
		expect(decodeURIComponent(update.path)).toBe(api(`/visitorsbyemail/${pick.visitorEmail}`));
		expect(JSON.parse(update.query.customerinfo)).toEqual({ crm_id: 'L-1001', plan: 'premium' });
	});
});

describe('push notification', () => {
	it('Send and Clear Badge reach the app user', async () => {
		const result = await run(WORKFLOWS.push);
		expect(jsonOf(result, 'Send')).toEqual([
			expect.objectContaining({ success: true, email: 'tom@example.com', bundleIds: ['com.zylker.app', 'com.zylker.app.beta'], badgeCount: 3 }),
		]);
		expect(jsonOf(result, 'Clear badge')).toEqual([expect.objectContaining({ success: true, email: 'tom@example.com', badgeCount: 0 })]);

		const calls = sandbox.requests('/pushnotification');
		expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${api('/pushnotification')}`, `POST ${api('/pushnotification')}`]);
		expect(sandbox.sentNotifications().map(({ time: _t, ...n }) => n)).toEqual([
			{
				mode: 'send',
				email: 'tom@example.com',
				title: 'Your order has shipped',
				message: 'It arrives on Tuesday.',
				badgecount: 3,
				bundleids: ['com.zylker.app', 'com.zylker.app.beta'],
				addinfo: { imgpath: 'https://www.example.com/banner.png' },
			},
			{ mode: 'clear', email: 'tom@example.com', badgecount: 0, bundleids: ['com.zylker.app', 'com.zylker.app.beta'] },
		]);
	});
});

describe('expired access token', () => {
	it('is refreshed at the sandbox, the new token is stored, and the next run reuses it', async () => {
		// The credential still holds the token it was imported with: no earlier run needed a refresh.
		const oldToken = sandbox.accessToken;
		expect(sandbox.expireAccessTokens()).toBeGreaterThanOrEqual(1);
		sandbox.clearRequests();

		const result = await run(WORKFLOWS.refresh);
		const chat = sandbox.dataset.chats[0];
		expect(jsonOf(result, 'Get chat')).toEqual([chat]);

		const log = sandbox.requests();
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET ${api(`/chats/${chat.chat_id}`)}`,
			'POST /oauth/v2/token',
			`GET ${api(`/chats/${chat.chat_id}`)}`,
		]);
		expect(bearer(log[0])).toBe(oldToken);
		const grant = new URLSearchParams(log[1].body);
		expect(grant.get('grant_type')).toBe('refresh_token');
		expect(grant.get('refresh_token')).toBe(sandbox.refreshToken);
		expect(grant.get('client_id')).toBe(sandbox.clientId);
		const newToken = bearer(log[2]);
		expect(newToken).toBeTruthy();
		expect(newToken).not.toBe(oldToken);

		const [after] = await n8n.exportCredentials(CREDENTIAL_ID);
		expect(after.data.oauthTokenData.access_token).toBe(newToken);
		expect(after.data.oauthTokenData.refresh_token).toBe(sandbox.refreshToken);

		sandbox.clearRequests();
		await run(WORKFLOWS.refresh);
		expect(sandbox.tokenRequests()).toHaveLength(0);
		expect(sandbox.requests().map(bearer)).toEqual([newToken]);
	});
});
