/**
 * Deadlines that hold (TIME-01, TIME-02) and answers the node cannot trust (SRV-01 to SRV-06):
 * trickling bodies, server text with control characters or of 2 MB, times past the largest date,
 * answers and files over their size caps, and file names that climb out of a folder.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import type * as http from 'node:http';

import { caseTitle } from './cases';
import { answer, startHostileApi, type HostileApi } from './hostile';
import { finalChecks, installChecks, observe, outcome, runChecked } from './support';

installChecks();

const V1 = '/api/v1/zylker';
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

let api: HostileApi;
/** The handler of the current test for every /api/ and /pubdownload/ path. */
let serve: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => answer(res, 404, {});
/** Connections the node closed before the server finished its answer. */
let closedEarly = 0;

beforeAll(async () => {
	api = await startHostileApi({ api: (req, res) => serve(req, res) });
	// One run first, so that the timed runs below do not include loading n8n's modules.
	serve = (_req, res) => answer(res, 200, { data: { chat_id: '1' } });
	await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '1' }, credential: api.credential(), label: 'warm-up' });
});
afterAll(async () => await api.close());
beforeEach(() => {
	api.requests.length = 0;
	closedEarly = 0;
});

/** Sends `text` one byte every `everyMs` after the headers, for at most `maxMs` (then the rest at once), until the client goes. */
function trickle(res: http.ServerResponse, text: string, headers: Record<string, string>, everyMs = 100, maxMs = 10_000): void {
	res.writeHead(200, { 'content-length': String(Buffer.byteLength(text)), ...headers });
	let sent = 0;
	const started = Date.now();
	const timer = setInterval(() => {
		if (Date.now() - started > maxMs) {
			clearInterval(timer);
			res.end(text.slice(sent));
			return;
		}
		res.write(text.charAt(sent++));
	}, everyMs);
	res.on('close', () => {
		if (!res.writableFinished) closedEarly++;
		clearInterval(timer);
	});
}

const attachmentAnswer = (file: string) => ({ data: { 'content-length': 300, download_url: `${api.url}/pubdownload/${file}` } });
const download = (options = {}) => ({
	resource: 'attachment',
	operation: 'download',
	chatId: '1',
	attachmentUrl: '/attachments/1/A_1',
	binaryPropertyName: 'data',
	options,
});

describe('deadlines that hold', () => {
	it(caseTitle('TIME-01'), async () => {
		serve = (req, res) => {
			if (req.url === `${V1}/chats/1/attachments/1/A_1`) return answer(res, 200, attachmentAnswer('slow'));
			trickle(res, 'x'.repeat(300), { 'content-type': 'application/pdf' });
		};
		const started = Date.now();
		const result = await runChecked({ parameters: download({ timeout: 500 }), credential: api.credential(), label: 'TIME-01' });
		const elapsed = Date.now() - started;
		await new Promise((resolve) => setTimeout(resolve, 150));
		observe('TIME-01', outcome(result, `failed after ${elapsed} ms; the node closed ${closedEarly} trickling connection(s)`));

		expect(result.error?.message).toBe('The attachment download did not finish within 500 ms');
		// Far below the 10 s the server would trickle for; a loose bound, as the machine may be busy.
		expect(elapsed).toBeLessThan(5000);
		expect(closedEarly).toBe(1);
	});

	it(caseTitle('TIME-02'), async () => {
		const chat = { chat_id: '283', question: 'Hello' };
		serve = (req, res) => {
			if (req.url === `${V1}/chats/282`) return trickle(res, JSON.stringify({ data: { chat_id: '282' } }), { 'content-type': 'application/json' });
			answer(res, 200, { data: chat });
		};
		const started = Date.now();
		const slow = await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '282', options: { timeout: 500 } }, credential: api.credential(), label: 'TIME-02a' });
		const elapsed = Date.now() - started;
		const next = await runChecked({ parameters: { resource: 'chat', operation: 'get', chatId: '283' }, credential: slow.credential, label: 'TIME-02b' });
		observe('TIME-02', `${outcome(slow)} after ${elapsed} ms; next run: ${outcome(next)}; ${api.tokenRequests()} token request(s)`);

		expect(slow.error?.message).toBe('SalesIQ did not send its whole response within 500 ms');
		expect(elapsed).toBeLessThan(5000);
		expect(api.tokenRequests()).toBe(0);
		expect(next.error).toBeUndefined();
		expect(next.json).toEqual([chat]);
		expect(api.apiRequests().map((r) => r.path)).toEqual([`${V1}/chats/282`, `${V1}/chats/283`]);
	});
});

describe('answers the node cannot trust', () => {
	const chatGet = { resource: 'chat', operation: 'get', chatId: '282' };

	it(caseTitle('SRV-01'), async () => {
		const forged = 'Invalid chat\r\n2026-12-03T06:00:00Z info: \u001b[32mlogin ok for admin\u001b[0m\n\u0007done';
		serve = (_req, res) => answer(res, 400, { error: { code: 1011, message: forged, param: 'chat\r\nid' } });
		const result = await runChecked({ parameters: chatGet, credential: api.credential(), label: 'SRV-01' });
		observe('SRV-01', outcome(result));

		expect(result.error?.message).toBe('Zoho SalesIQ error 1011: Invalid chat 2026-12-03T06:00:00Z info: login ok for admin done (parameter: chat id)');
		expect(result.error?.message).not.toMatch(CONTROL);
		expect(result.error?.description).not.toMatch(CONTROL);
		expect(JSON.stringify((result.error as { errorResponse?: unknown }).errorResponse)).not.toMatch(/\\u001b|\\r|\\n/);
	});

	it(caseTitle('SRV-02'), async () => {
		serve = (_req, res) => answer(res, 400, { error: { code: 1011, message: 'x'.repeat(2 * 1024 * 1024) } });
		const result = await runChecked({ parameters: chatGet, credential: api.credential(), label: 'SRV-02' });
		const message = result.error?.message ?? '';
		observe('SRV-02', `error message of ${message.length} characters, description of ${String(result.error?.description).length}`);

		expect(message.startsWith('Zoho SalesIQ error 1011: xxx')).toBe(true);
		expect(message.length).toBeLessThan(1000);
		expect(JSON.stringify((result.error as { errorResponse?: unknown }).errorResponse).length).toBeLessThan(1000);
	});

	it(caseTitle('SRV-03'), async () => {
		serve = (_req, res) =>
			answer(res, 200, {
				data: [
					{ chatinitiated_time: '1700000000000', visitor_name: 'Tom', question: 'Hi' },
					{ time: '1700000001000', sender: 'v1', dname: 'Tom', msg: 'first' },
					{ time: '9000000000000000', sender: 'v1', dname: 'Tom', msg: 'from the far future' },
				],
			});
		const result = await runChecked({
			parameters: { resource: 'transcript', operation: 'get', chatId: '5', returnAll: true },
			credential: api.credential(),
			label: 'SRV-03',
		});
		observe('SRV-03', outcome(result, `timeIso of the entry: ${JSON.stringify(result.json[1]?.timeIso)}`));

		expect(result.error).toBeUndefined();
		expect(result.json.map((m) => [m.text, m.time, m.timeIso])).toEqual([
			['first', 1700000001000, '2023-11-14T22:13:21.000Z'],
			['from the far future', 9e15, null],
		]);
	});

	it(caseTitle('SRV-04'), async () => {
		serve = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"data":[');
			const chunk = `${JSON.stringify({ chat_id: '1', question: 'x'.repeat(1000) })},`.repeat(1000);
			let written = 0;
			const more = () => {
				while (written < 17 * 1024 * 1024) {
					written += chunk.length;
					if (!res.write(chunk)) return void res.once('drain', more);
				}
				res.end('{}]}');
			};
			res.on('close', () => {
				if (!res.writableFinished) closedEarly++;
			});
			more();
		};
		const result = await runChecked({ parameters: chatGet, credential: api.credential(), label: 'SRV-04' });
		await new Promise((resolve) => setTimeout(resolve, 100));
		observe('SRV-04', outcome(result, `the node closed ${closedEarly} connection(s) early`));

		expect(result.error?.message).toBe('SalesIQ sent a response larger than 16 MB');
	});

	it(caseTitle('SRV-05'), async () => {
		serve = (req, res) => {
			if (req.url === `${V1}/chats/1/attachments/1/A_1`) return answer(res, 200, attachmentAnswer('big'));
			res.writeHead(200, { 'content-type': 'application/pdf' });
			res.end(Buffer.alloc(2 * 1024 * 1024, 1));
		};
		const result = await runChecked({ parameters: download({ maxFileSizeMb: 1 }), credential: api.credential(), label: 'SRV-05' });
		observe('SRV-05', outcome(result));

		expect(result.error?.message).toBe('The attachment is larger than 1 MB');
		expect(result.items).toEqual([]);
	});

	it.each([
		['attachment; filename="../../.ssh/authorized_keys"', 'authorized_keys'],
		["attachment; filename*=UTF-8''..%2F..%2Freport%0D%0A.pdf", 'report.pdf'],
		['attachment; filename="C:\\\\Windows\\\\evil\r.exe"', 'evil.exe'],
	])(`${caseTitle('SRV-06')}: %s`, async (disposition, expected) => {
		serve = (req, res) => {
			if (req.url === `${V1}/chats/1/attachments/1/A_1`) return answer(res, 200, { data: { 'content-length': 3, download_url: `${api.url}/pubdownload/named` } });
			res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': disposition.replace(/\r/g, '') });
			res.end('pdf');
		};
		const result = await runChecked({ parameters: download(), credential: api.credential(), label: 'SRV-06' });
		observe('SRV-06', `${JSON.stringify(disposition)} -> fileName ${JSON.stringify(result.json[0]?.fileName)}`);

		expect(result.error).toBeUndefined();
		expect(result.json[0].fileName).toBe(expected);
		expect(result.items[0].binary?.data.fileName).toBe(expected);
	});
});

finalChecks();
