/**
 * Shared machinery of the reliability suite:
 * - every node run goes through `runChecked`, which scans what the run produced for secrets;
 * - every outgoing HTTP request of the process is recorded (and any to a non-loopback host is cut
 *   off before it leaves), so the suite can prove where the token went;
 * - console, stdout and stderr are captured, with n8n's logger at debug level, and scanned too;
 * - `finalChecks()` turns all that into the SEC-01, SEC-02 and HOST-01 cases of each file.
 */
import { capturedLines, captureProcessStreams, releaseCapture } from './capture';

import * as diagnostics from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { CUSTOM_DATA_CENTER, DATA_CENTERS, resolveApiUrl } from '../../nodes/ZohoSalesIq/transport/dataCenters';
import { runNode, type RunNodeOptions, type RunResult } from '../harness';
import type { LoggedRequest, Sandbox } from '../sandbox';
import { caseTitle } from './cases';

// ---------------------------------------------------------------------------------------------
// Outgoing requests

export interface Outbound {
	/** host[:port] as sent in the Host header. */
	host: string;
	method: string;
	path: string;
	authorization?: string;
	blocked: boolean;
}

const outbound: Outbound[] = [];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function onRequestStart(message: unknown): void {
	const request = (message as { request: http.ClientRequest }).request;
	const authorization = request.getHeader('authorization');
	const entry: Outbound = {
		host: String(request.getHeader('host') ?? request.host),
		method: request.method,
		path: request.path,
		authorization: typeof authorization === 'string' && authorization ? authorization : undefined,
		blocked: !LOOPBACK.has(request.host),
	};
	outbound.push(entry);
	// Nothing leaves the machine: a request to a real Zoho host is recorded, then cut off.
	if (entry.blocked) request.destroy(new Error('blocked by the reliability suite: no requests leave this machine'));
}

/** Requests recorded since `mark` (a value of `outboundMark()`). */
export function outboundSince(mark: number): Outbound[] {
	return outbound.slice(mark);
}

export function outboundMark(): number {
	return outbound.length;
}

// ---------------------------------------------------------------------------------------------
// Secrets, hosts and tokens seen in this file

const secrets = new Map<string, string>();
const leaks: string[] = [];
/** Bearer token -> the SalesIQ hosts of the credentials that hold it. */
const tokenHosts = new Map<string, Set<string>>();
const apiHosts = new Set<string>();
const accountsHosts = new Set<string>();
/** Hosts that take part without a credential: trigger webhook servers, hostile doubles used as APIs. */
const otherHosts = new Set<string>();
let runCounter = 0;

export function addSecret(value: unknown, label: string): void {
	if (typeof value === 'string' && value.length >= 8 && !secrets.has(value)) secrets.set(value, label);
}

export function allowHost(host: string): void {
	otherHosts.add(host);
}

function hostOf(url: string): string {
	return new URL(url).host;
}

function bindToken(token: unknown, apiHost: string): void {
	if (typeof token !== 'string') return;
	const hosts = tokenHosts.get(token) ?? new Set<string>();
	hosts.add(apiHost);
	tokenHosts.set(token, hosts);
}

/** The Zoho Accounts origin of a credential, as its hidden OAuth URLs resolve it. */
function accountsUrlOf(credential: ICredentialDataDecryptedObject): string {
	if (credential.dataCenter === CUSTOM_DATA_CENTER) return String(credential.accountsUrl ?? '').replace(/\/+$/, '');
	return (DATA_CENTERS.find((dc) => dc.value === credential.dataCenter) ?? DATA_CENTERS[0]).accountsUrl;
}

/** Registers a credential's hosts and secrets: the token may go to its SalesIQ host only. */
export function registerCredential(credential: ICredentialDataDecryptedObject, label = 'credential'): { apiHost: string; accountsHost: string } {
	const apiHost = hostOf(resolveApiUrl(credential));
	const accountsHost = hostOf(accountsUrlOf(credential));
	apiHosts.add(apiHost);
	accountsHosts.add(accountsHost);
	const tokens = (credential.oauthTokenData ?? {}) as IDataObject;
	addSecret(credential.clientSecret, `client secret of ${label}`);
	addSecret(tokens.access_token, `access token of ${label}`);
	addSecret(tokens.refresh_token, `refresh token of ${label}`);
	bindToken(tokens.access_token, apiHost);
	return { apiHost, accountsHost };
}

/** Tokens n8n stored after refreshes: secrets too, and bound to the same SalesIQ host. */
export function registerTokenUpdates(updates: IDataObject[], apiHost: string, label: string): void {
	for (const update of updates) {
		addSecret(update.access_token, `refreshed access token of ${label}`);
		addSecret(update.refresh_token, `refresh token of ${label}`);
		bindToken(update.access_token, apiHost);
	}
}

/** JSON of anything, errors included (name, message, stack, description, cause and own fields). */
export function textOf(value: unknown): string {
	const seen = new WeakSet<object>();
	return (
		JSON.stringify(value, (_key, v: unknown) => {
			if (typeof v === 'bigint') return String(v);
			if (typeof v !== 'object' || v === null) return v;
			if (seen.has(v)) return '[circular]';
			seen.add(v);
			if (v instanceof Error) {
				const fields: Record<string, unknown> = { name: v.name, message: v.message, stack: v.stack };
				for (const key of Object.keys(v)) fields[key] = (v as unknown as Record<string, unknown>)[key];
				if ('cause' in v) fields.cause = (v as { cause?: unknown }).cause;
				if ('description' in v) fields.description = (v as { description?: unknown }).description;
				return fields;
			}
			return v;
		}) ?? ''
	);
}

/** Records a leak (never the secret itself) when `text` contains a known secret. */
export function scanForSecrets(text: string, where: string): void {
	for (const [secret, label] of secrets) {
		if (text.includes(secret)) leaks.push(`${label} in ${where}`);
	}
}

export interface CheckedRunOptions extends RunNodeOptions {
	/** Name of the run in leak reports. */
	label?: string;
}

/** Runs the node through the harness, then scans the error, the items and the run data for secrets. */
export async function runChecked(options: CheckedRunOptions): Promise<RunResult> {
	const label = options.label ?? `run ${++runCounter}`;
	const { apiHost } = registerCredential(options.credential, label);
	const result = await runNode(options);
	registerTokenUpdates(result.tokenUpdates, apiHost, label);
	registerCredential(result.credential, label);
	scanForSecrets(textOf(result.error), `the error of ${label}`);
	scanForSecrets(textOf(result.items), `the items of ${label}`);
	scanForSecrets(textOf(result.run.data), `the run data of ${label}`);
	return result;
}

// ---------------------------------------------------------------------------------------------
// Logs (captured by ./capture, from before n8n-core is loaded)

/** Log lines captured so far in this file. */
export function capturedLogs(): readonly string[] {
	return capturedLines;
}

/**
 * Call at the top of a test file, outside any describe: records outgoing requests from the first
 * test to the last, and gives the terminal back after the last.
 */
export function installChecks(): void {
	beforeAll(() => {
		captureProcessStreams();
		diagnostics.subscribe('http.client.request.start', onRequestStart);
	});
	afterAll(() => {
		diagnostics.unsubscribe('http.client.request.start', onRequestStart);
		releaseCapture();
	});
}

/** Every way the token or a request could have gone astray, from the requests recorded. */
export function egressViolations(): string[] {
	const problems: string[] = [];
	for (const request of outbound) {
		const where = `${request.method} ${request.host}${request.path.split('?')[0]}`;
		const known = apiHosts.has(request.host) || accountsHosts.has(request.host) || otherHosts.has(request.host);
		if (!known) problems.push(`request to a host no credential names: ${where}`);
		if (request.path.startsWith('/pubdownload/') && request.authorization) problems.push(`a download link got an Authorization header: ${where}`);
		if (!request.authorization) continue;
		const token = /^(?:Bearer|Zoho-oauthtoken)\s+(\S+)$/i.exec(request.authorization)?.[1];
		if (!token) {
			problems.push(`an Authorization header that is not a bearer token: ${where}`);
			continue;
		}
		const homes = tokenHosts.get(token);
		if (homes === undefined) problems.push(`a bearer token no credential of this file holds: ${where}`);
		else if (!homes.has(request.host)) problems.push(`a token of ${[...homes].join(', ')} sent to another host: ${where}`);
		else if (!request.path.startsWith('/api/')) problems.push(`the token sent outside the API: ${where}`);
	}
	return problems;
}

/**
 * Call at the end of a test file: SEC-01 (no secret in any output), SEC-02 (none in any log line)
 * and HOST-01 (the token went only to its SalesIQ host) for everything the file ran. `requests`:
 * the file sends requests (else it must send none); `logs`: it runs workflows, so n8n logs.
 */
export function finalChecks(options: { requests?: boolean; logs?: boolean } = {}): void {
	const { requests = true, logs = true } = options;
	describe('across every run of this file', () => {
		it(caseTitle('SEC-01', 'no secret in any error, description, cause, stack, output item or run data'), () => {
			expect(secrets.size).toBeGreaterThan(0);
			expect(leaks).toEqual([]);
		});

		it(caseTitle('SEC-02', 'no secret in any log line (n8n logger at debug, console, stdout, stderr)'), () => {
			const before = leaks.length;
			// Files that run workflows must have captured n8n's log lines; the trigger logs nothing itself.
			if (logs) expect(capturedLines.length).toBeGreaterThan(0);
			capturedLines.forEach((line, i) => scanForSecrets(line, `log line ${i + 1}`));
			expect(leaks.slice(before)).toEqual([]);
		});

		it(caseTitle('HOST-01', 'the token went only to its credential’s SalesIQ host, under /api/, and nowhere else'), () => {
			if (requests) expect(outbound.length).toBeGreaterThan(0);
			else expect(outbound).toEqual([]);
			expect(egressViolations()).toEqual([]);
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Observations for docs/RELIABILITY.md (only when report.ts runs the suite)

/** Notes what the node did in case `id`; report.ts puts it in the doc. A no-op in a normal test run. */
export function observe(id: string, text: string): void {
	const file = process.env.RELIABILITY_OBSERVATIONS;
	if (file) appendFileSync(file, `${JSON.stringify({ id, text })}\n`);
}

/** "NodeApiError: message — description" or "N items", cut to a table cell. */
export function outcome(result: RunResult, extra = ''): string {
	const error = result.error as (Error & { description?: string }) | undefined;
	const text = error
		? `${error.name}: ${error.message}${error.description ? ` — ${error.description}` : ''}`
		: `${result.items.length} item${result.items.length === 1 ? '' : 's'}`;
	const full = extra ? `${text}; ${extra}` : text;
	return full.length > 400 ? `${full.slice(0, 397)}...` : full;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** SalesIQ API requests in a sandbox log (no token or download requests). */
export function apiRequests(sb: Sandbox, match = '/api/'): LoggedRequest[] {
	return sb.requests(match).filter((r) => r.path.startsWith('/api/'));
}

export interface TestServer {
	url: string;
	host: string;
	requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders }>;
	close: () => Promise<void>;
}

/** A plain HTTP server on 127.0.0.1 that records what it receives. */
export async function startServer(
	handler: (req: http.IncomingMessage, res: http.ServerResponse, server: TestServer) => void,
): Promise<TestServer> {
	const server: TestServer = { url: '', host: '', requests: [], close: async () => undefined };
	const raw = http.createServer((req, res) => {
		server.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
		req.resume();
		req.on('end', () => handler(req, res, server));
	});
	await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
	const { port } = raw.address() as AddressInfo;
	server.url = `http://127.0.0.1:${port}`;
	server.host = `127.0.0.1:${port}`;
	server.close = () =>
		new Promise<void>((resolve) => {
			raw.close(() => resolve());
			raw.closeAllConnections();
		});
	return server;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
	res.end(text);
}
