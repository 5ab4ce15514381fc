/**
 * Where the token may go, and what no input or answer may change (cases HOST-02 to HOST-12, SEC-03).
 * Besides the sandbox, two plain servers take part: a "foreign" host that must never be contacted,
 * and a hostile SalesIQ double for answers the sandbox, which follows the API contract, never
 * gives (download links on other hosts, redirects, echoed tokens, entries that are not objects).
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DATA_CENTERS } from '../../nodes/ZohoSalesIq/transport/dataCenters';
import { credentialFor } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { caseTitle } from './cases';
import {
	apiRequests,
	finalChecks,
	installChecks,
	observe,
	outboundMark,
	outboundSince,
	outcome,
	runChecked,
	sendJson,
	startServer,
	type TestServer,
} from './support';

installChecks();

let sb: Sandbox;
let foreign: TestServer;
let hostile: TestServer;
/** What the hostile double answers for the attachment call. */
let downloadUrl = '';
let redirectTo = '';

const HOSTILE_TOKENS = {
	clientId: 'hostile-client',
	clientSecret: 'hostile-client-secret-0001',
	accessToken: '1000.hostileaccess0001.hostileaccess0001',
	refreshToken: '1000.hostilerefresh0001.hostilerefresh0001',
};

beforeAll(async () => {
	sb = await startSandbox({ port: 0, seed: 41, chats: 30, visitors: 30 });
	foreign = await startServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'application/octet-stream' });
		res.end('stolen');
	});
	hostile = await startServer((req, res) => {
		const path = req.url ?? '';
		const v1 = '/api/v1/zylker';
		if (path === `${v1}/chats/1/attachments/1/A_1`) return sendJson(res, 200, { data: { 'content-length': 3, download_url: downloadUrl } });
		if (path === '/pubdownload/redirect') {
			res.writeHead(302, { location: redirectTo });
			return res.end();
		}
		if (path === `${v1}/chats/2`) {
			return sendJson(res, 400, { error: { code: 1011, message: `Rejected header ${req.headers.authorization} for this portal` } });
		}
		if (path.startsWith(`${v1}/chats?`)) return sendJson(res, 200, { data: [null] });
		if (path === `${v1}/chats/3`) return sendJson(res, 200, { data: '282' });
		if (path.startsWith(`${v1}/visitorsview/-1/visitors`)) return sendJson(res, 200, { data: { visitorlist: [1, 'x'] } });
		if (path.startsWith(`${v1}/chats/4/transcript`)) return sendJson(res, 200, { data: [{ chatinitiated_time: '1', visitor_name: 'Tom' }, null] });
		return sendJson(res, 404, { error: { code: 1006, message: 'Invalid URL' } });
	});
});
afterAll(async () => {
	await sb.stop();
	await foreign.close();
	await hostile.close();
});
beforeEach(() => {
	sb.clearRequests();
	foreign.requests.length = 0;
	hostile.requests.length = 0;
});

const hostileCredential = (): ICredentialDataDecryptedObject => credentialFor({ url: hostile.url, ...HOSTILE_TOKENS });
const download = { resource: 'attachment', operation: 'download', chatId: '1', attachmentUrl: '/attachments/1/A_1', binaryPropertyName: 'data' };
const foreignPort = () => foreign.host.split(':')[1];

describe('the token goes only to the configured SalesIQ host', () => {
	it(caseTitle('HOST-02'), async () => {
		const custom = sb.url.replace('127.0.0.1', 'localhost');
		const chat = sb.dataset.chats[0];
		const mark = outboundMark();
		const result = await runChecked({
			parameters: { resource: 'chat', operation: 'get', chatId: chat.chat_id },
			credential: credentialFor(sb, { apiUrl: custom }),
			label: 'HOST-02',
		});
		const sent = outboundSince(mark);
		observe('HOST-02', outcome(result, `requests went to ${[...new Set(sent.map((r) => r.host))].join(', ')}`));

		expect(result.json).toEqual([chat]);
		expect(sent.map((r) => r.host)).toEqual([new URL(custom).host]);
		expect(sent[0].authorization).toBe(`Bearer ${sb.accessToken}`);
	});

	it(caseTitle('HOST-03'), async () => {
		const seen: string[] = [];
		for (const dc of DATA_CENTERS) {
			const mark = outboundMark();
			const result = await runChecked({
				parameters: { resource: 'chat', operation: 'get', chatId: '282' },
				credential: credentialFor(sb, { dataCenter: dc.value }),
				label: `HOST-03 ${dc.value}`,
			});
			const sent = outboundSince(mark);
			seen.push(`${dc.value}: ${sent.map((r) => `${r.host}${r.path}`).join(', ')}`);

			// The suite cuts every request to a non-loopback host off before it leaves the machine.
			expect(result.error).toBeDefined();
			expect(sent).toEqual([
				{ host: new URL(dc.apiUrl).host, method: 'GET', path: `/api/v1/${sb.screenName}/chats/282`, authorization: `Bearer ${sb.accessToken}`, blocked: true },
			]);
		}
		observe('HOST-03', seen.join('; '));
		expect(sb.requests()).toEqual([]);
	});
});

describe('download links', () => {
	it.each([
		['HOST-04', () => `http://localhost:${foreignPort()}/pubdownload/abc`],
		['HOST-05', () => `http://127.0.0.1:${foreignPort()}/pubdownload/abc`],
		['HOST-06', () => `http://${hostile.host}@localhost:${foreignPort()}/pubdownload/abc`],
	] as const)('%s: a download_url off the API host is refused before any request to it', async (id, url) => {
		downloadUrl = url();
		const mark = outboundMark();
		const result = await runChecked({ parameters: download, credential: hostileCredential(), label: id });
		observe(id, outcome(result, `${foreign.requests.length} request(s) to the other host`));

		expect(result.error?.message).toBe('The attachment’s download link points to an unexpected host, so the node did not follow it');
		expect(foreign.requests).toEqual([]);
		expect(outboundSince(mark).map((r) => r.host)).toEqual([hostile.host]);
	});

	it(caseTitle('HOST-07'), async () => {
		downloadUrl = `${hostile.url}/pubdownload/redirect`;
		redirectTo = `${foreign.url}/pubdownload/abc`;
		const result = await runChecked({ parameters: download, credential: hostileCredential(), label: 'HOST-07' });
		observe('HOST-07', outcome(result, `${foreign.requests.length} request(s) to the other host`));

		expect(result.error?.message).toBe('The attachment’s download link points to an unexpected host, so the node did not follow it');
		expect(foreign.requests).toEqual([]);
		const link = hostile.requests.find((r) => r.path === '/pubdownload/redirect')!;
		expect(link.headers.authorization).toBeUndefined();
	});
});

describe('no user input becomes part of a URL’s host', () => {
	it(caseTitle('HOST-08'), async () => {
		const mark = outboundMark();
		const result = await runChecked({
			parameters: { resource: 'chat', operation: 'get', chatId: `x@${foreign.host}` },
			credential: credentialFor(sb),
			label: 'HOST-08',
		});
		observe('HOST-08', outcome(result));

		expect(result.error?.name).toBe('NodeOperationError');
		expect(outboundSince(mark)).toEqual([]);
	});

	it(caseTitle('HOST-09'), async () => {
		const mark = outboundMark();
		const result = await runChecked({
			parameters: { resource: 'visitor', operation: 'update', email: 'tom@evil.example', customerInfo: { field: [{ key: 'plan', value: 'gold' }] } },
			credential: credentialFor(sb),
			label: 'HOST-09',
		});
		const sent = outboundSince(mark);
		observe('HOST-09', outcome(result, `sent ${sent.map((r) => `${r.method} ${r.host}${r.path.split('?')[0]}`).join(', ')}`));

		// SalesIQ knows no such visitor (error 2311): what matters is where the request went.
		expect(result.error?.message).toBe('Zoho SalesIQ error 2311: No Visitor found');
		expect(sent.map((r) => r.host)).toEqual([new URL(sb.url).host]);
		expect(apiRequests(sb).map((r) => r.path)).toEqual([`/api/v1/${sb.screenName}/visitorsbyemail/tom@evil.example`]);
	});

	it(caseTitle('HOST-10'), async () => {
		const mark = outboundMark();
		const result = await runChecked({
			parameters: { ...download, chatId: sb.dataset.chats[0].chat_id, attachmentUrl: `//${foreign.host}/attachments/1/A_1` },
			credential: credentialFor(sb),
			label: 'HOST-10',
		});
		observe('HOST-10', outcome(result));

		expect(result.error?.name).toBe('NodeOperationError');
		expect(outboundSince(mark)).toEqual([]);
	});

	it(caseTitle('HOST-11'), async () => {
		const chatId = sb.dataset.chats[0].chat_id;
		const refused = await runChecked({
			parameters: { resource: 'chat', operation: 'get', chatId, options: { screenName: `@${foreign.host}` } },
			credential: credentialFor(sb),
			label: 'HOST-11a',
		});
		expect(refused.error?.name).toBe('NodeOperationError');
		expect(sb.requests()).toEqual([]);

		const mark = outboundMark();
		const kept = await runChecked({
			parameters: { resource: 'chat', operation: 'get', chatId, options: { screenName: '127.0.0.1' } },
			credential: credentialFor(sb),
			label: 'HOST-11b',
		});
		observe('HOST-11', `"@host": ${outcome(refused)}; "127.0.0.1": ${outcome(kept)}`);
		expect(kept.error?.message).toBe('Zoho SalesIQ error 1005: Invalid portal or wrong screen name.');
		expect(outboundSince(mark).map((r) => `${r.host}${r.path}`)).toEqual([`${new URL(sb.url).host}/api/v1/127.0.0.1/chats/${chatId}`]);
		expect(foreign.requests).toEqual([]);
	});
});

describe('answers the node cannot trust', () => {
	it(caseTitle('HOST-12'), async () => {
		const runs = await Promise.all(
			[
				{ resource: 'chat', operation: 'getAll', returnAll: true },
				{ resource: 'chat', operation: 'get', chatId: '3' },
				{ resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true },
				{ resource: 'transcript', operation: 'get', chatId: '4', returnAll: true },
			].map(async (parameters, i) => await runChecked({ parameters, credential: hostileCredential(), label: `HOST-12 #${i + 1}` })),
		);
		observe('HOST-12', runs.map((r) => r.error?.message).join('; '));

		for (const result of runs) {
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toMatch(/^SalesIQ sent an unexpected (page of chats|chat|page of visitors|page of transcript messages)$/);
			expect(result.items).toEqual([]);
		}
	});

	it(caseTitle('SEC-03'), async () => {
		const result = await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '2' }, credential: hostileCredential(), label: 'SEC-03' });
		observe('SEC-03', outcome(result));

		expect(result.error?.message).toBe('Zoho SalesIQ error 1011: Rejected header Bearer [redacted] for this portal');
		expect(JSON.stringify(result.error)).not.toContain(HOSTILE_TOKENS.accessToken);
	});
});

finalChecks();
