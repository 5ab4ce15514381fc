/**
 * The refresh budget and what a 401 says (TOK-15 to TOK-22), and secrets in what Zoho Accounts
 * and SalesIQ answer (SEC-04 to SEC-07). Each test runs against its own hostile double, with its
 * own tokens, so that what the node remembers per token in one test never carries into another.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { caseTitle } from './cases';
import { answer, startHostileApi, type HostileApi, type HostileHandler } from './hostile';
import { addSecret, finalChecks, installChecks, observe, outcome, runChecked, textOf } from './support';

installChecks();

const chatGet = { resource: 'chat', operation: 'get', chatId: '={{ $json.id }}' };
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(282 + i) }));
const INVALID_TOKEN = { error: { code: 1008, message: 'Invalid OAuthToken' } };

let api: HostileApi | undefined;
afterEach(async () => {
	await api?.close();
	api = undefined;
});

async function hostile(apiHandler: HostileHandler, token?: HostileHandler): Promise<HostileApi> {
	api = await startHostileApi({ api: apiHandler, token });
	return api;
}

/** The error text a user sees, and what n8n stores of it. */
function errorTextOf(value: unknown): string {
	const error = value as { message?: string; description?: string; errorResponse?: unknown } | undefined;
	return `${error?.message} ${error?.description} ${textOf(error?.errorResponse)}`;
}

describe('a server that rejects every token', () => {
	it.each([
		['TOK-15', 200],
		['TOK-16', 401],
	] as const)('%s: 100 items with Continue On Fail cost at most one refresh', async (id, status) => {
		const s = await hostile((_req, res) => answer(res, status, INVALID_TOKEN));
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(100), continueOnFail: true, label: id });
		observe(id, `${s.tokenRequests()} refresh(es), ${s.apiRequests().length} API requests for 100 items; every item: "${result.json[0]?.error}"`);

		expect(result.error).toBeUndefined();
		expect(s.tokenRequests()).toBeLessThanOrEqual(1);
		expect(result.json).toHaveLength(100);
		for (const json of result.json) {
			expect(json.error).toBe('SalesIQ rejected the access token again right after it was renewed');
			expect(String(json.description)).toContain('data center');
			expect(String(json.description)).toContain('screen name');
		}
		expect(s.apiRequests().length).toBeLessThanOrEqual(2);
	});

	it.each([
		['TOK-17', (s: HostileApi) => ({ access_token: s.accessToken, token_type: 'Bearer', expires_in: 3600 })],
		['TOK-18', () => ({})],
	] as const)('%s: a refresh that brings no new token is not repeated', async (id, tokenBody) => {
		const s = await hostile(
			(_req, res) => answer(res, 401, INVALID_TOKEN),
			(_req, res, self) => answer(res, 200, tokenBody(self)),
		);
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(20), continueOnFail: true, label: id });
		observe(id, `${s.tokenRequests()} refresh(es), ${s.apiRequests().length} API requests for 20 items; "${result.json[0]?.error}"`);

		expect(s.tokenRequests()).toBeLessThanOrEqual(1);
		expect(result.json.map((j) => j.error)).toEqual(Array(20).fill('SalesIQ rejected the access token again right after it was renewed'));
	});

	it(caseTitle('TOK-19'), async () => {
		const s = await hostile((_req, res) => answer(res, 200, INVALID_TOKEN));
		let credential: ICredentialDataDecryptedObject = s.credential();
		const errors: string[] = [];
		for (let run = 0; run < 12; run++) {
			const result = await runChecked({ parameters: chatGet, credential, input: items(1), label: `TOK-19 #${run + 1}` });
			errors.push(String(result.error?.message));
			credential = result.credential;
		}
		observe('TOK-19', `${s.tokenRequests()} refresh(es) and ${s.apiRequests().length} API requests in 12 executions; each ended with "${errors[0]}"`);

		expect(s.tokenRequests()).toBeLessThanOrEqual(2);
		expect(new Set(errors)).toEqual(new Set(['SalesIQ rejected the access token again right after it was renewed']));
	});
});

describe('what a 401 says', () => {
	it(caseTitle('TOK-20'), async () => {
		const s = await hostile((_req, res) => answer(res, 401, { error: { code: 1009, message: 'Invalid OAuthScope' } }));
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(3), continueOnFail: true, label: 'TOK-20' });
		observe('TOK-20', `${s.tokenRequests()} refresh(es); "${result.json[0]?.error}" — ${result.json[0]?.description}`);

		expect(s.tokenRequests()).toBe(0);
		expect(result.json.map((j) => j.error)).toEqual(Array(3).fill('Zoho SalesIQ error 1009: Invalid OAuthScope'));
		expect(String(result.json[0].description)).toContain('SalesIQ.chatdetails.READ');
	});

	it(caseTitle('TOK-21'), async () => {
		const s = await hostile((_req, res) => {
			res.writeHead(401, { 'content-type': 'text/plain' });
			res.end('invalid oauthscope');
		});
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(2), continueOnFail: true, label: 'TOK-21' });
		observe('TOK-21', `${s.tokenRequests()} refresh(es); "${result.json[0]?.error}"`);

		expect(s.tokenRequests()).toBe(0);
		expect(String(result.json[0].error)).toContain('1009');
		expect(String(result.json[0].description)).toContain('SalesIQ.chatdetails.READ');
	});

	it(caseTitle('TOK-22'), async () => {
		const chat = { chat_id: '282', question: 'Hello' };
		const s = await hostile((_req, res, self) => {
			if (self.apiRequests().length === 1) {
				res.writeHead(401, { 'content-length': '0' });
				res.end();
			} else {
				answer(res, 200, { data: chat });
			}
		});
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(1), label: 'TOK-22' });
		observe('TOK-22', outcome(result, `${s.tokenRequests()} refresh(es), ${s.apiRequests().length} API requests`));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([chat]);
		expect(s.tokenRequests()).toBe(1);
		expect(s.apiRequests().map((r) => r.headers.authorization)).toEqual([`Bearer ${s.accessToken}`, `Bearer ${result.tokenUpdates[0].access_token}`]);
	});
});

describe('secrets in what Zoho answers', () => {
	it(caseTitle('SEC-04'), async () => {
		const s = await hostile(
			(_req, res) => answer(res, 401, INVALID_TOKEN),
			(_req, res, self) => answer(res, 400, { error: self.clientSecret }),
		);
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(1), label: 'SEC-04' });
		observe('SEC-04', outcome(result));

		expect(result.error).toBeDefined();
		expect(errorTextOf(result.error)).not.toContain(s.clientSecret);
		expect(textOf(result.error)).not.toContain(s.clientSecret);
	});

	it(caseTitle('SEC-05'), async () => {
		const s = await hostile(
			(_req, res) => answer(res, 401, INVALID_TOKEN),
			(_req, res, self) => answer(res, 200, { error: self.refreshToken }),
		);
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(1), label: 'SEC-05' });
		observe('SEC-05', outcome(result));

		expect(result.error).toBeDefined();
		expect(textOf(result.error)).not.toContain(s.refreshToken.slice(0, 16));
	});

	it(caseTitle('SEC-06'), async () => {
		const s = await hostile((req, res, self) => {
			const field = ['param', 'json_key', 'header'][Number((req.url ?? '').split('/').pop()) - 282] ?? 'param';
			answer(res, 400, { error: { code: 1011, message: 'Invalid parameter', [field]: `Bearer ${self.accessToken}` } });
		});
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(3), continueOnFail: true, label: 'SEC-06' });
		const stored = result.run.data.resultData.runData['Zoho SalesIQ']?.[0];
		observe('SEC-06', `${result.json.map((j) => j.error).join(' / ')}`);

		expect(result.json.map((j) => String(j.error))).toEqual(Array(3).fill('Zoho SalesIQ error 1011: Invalid parameter (parameter: Bearer [redacted])'));
		expect(textOf(result.json)).not.toContain(s.accessToken);
		expect(textOf(stored)).not.toContain(s.accessToken);
	});

	it(caseTitle('SEC-07'), async () => {
		const renewed = `renewedtoken${Date.now()}without${process.pid}dots`;
		addSecret(renewed, 'the access token a refresh brought');
		const s = await hostile(
			(req, res) =>
				req.headers.authorization === `Bearer ${renewed}`
					? answer(res, 400, { error: { code: 1011, message: `Token ${renewed} is not allowed here` } })
					: answer(res, 200, INVALID_TOKEN),
			(_req, res) => answer(res, 200, { access_token: renewed, token_type: 'Bearer', expires_in: 3600 }),
		);
		const result = await runChecked({ parameters: chatGet, credential: s.credential(), input: items(1), label: 'SEC-07' });
		observe('SEC-07', outcome(result));

		expect(result.error?.message).toBe('Zoho SalesIQ error 1011: Token [redacted] is not allowed here');
		expect(textOf(result.error)).not.toContain(renewed);
		expect((result.tokenUpdates as IDataObject[]).map((t) => t.access_token)).toEqual([renewed]);
	});
});

finalChecks();
