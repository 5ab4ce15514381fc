/**
 * Contender C: what a user builds without this package — n8n's own HTTP Request node with its
 * pagination options (plus Split Out / Remove Duplicates / Limit where the data needs it) — against
 * our node's workflow for the same work, both in the real n8n of the end-to-end tests
 * (`.n8n-cache/`, see test/e2e/lib). Each run is one `n8n execute` process, timed as a whole; the
 * execution time n8n records (startedAt → stoppedAt) is reported beside it.
 *
 * When the pinned n8n is not installed, nothing is installed from here: the result says "pending".
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { credentialFor } from '../test/harness';
import { extractRun, createN8n, type N8n, type N8nRun } from '../test/e2e/lib/n8n';
import { ensureN8n, flavor, isReady } from '../test/e2e/lib/install';
import type { Dataset } from '../test/sandbox';
import { nodeParameters } from './contenders/n8n';
import { clearRequests, readRequests } from './lib/control';
import { compileForWorkers } from './lib/compile';
import { REPO_ROOT, startSandboxProcess } from './lib/sandbox-process';
import { DATASET, type Scenario } from './lib/scenarios';
import { median } from './lib/stats';
import type { SandboxInfo, WorkSpec } from './lib/work';

const ZOHO_CRED = { id: 'BenchZohoCred001', name: 'Zoho SalesIQ (bench)' };
const GENERIC_CRED = { id: 'BenchOAuth2Cred1', name: 'Zoho via generic OAuth2 (bench)' };
const PACKAGE = 'n8n-nodes-zoho-salesiq';

export interface RealRun {
	latencyMs: number;
	round: number;
	scenario: string;
	contender: 'node' | 'httpRequest';
	/** Wall time of the whole `n8n execute` process. */
	processMs: number;
	/** n8n's own record of the execution: stoppedAt - startedAt. */
	executionMs?: number;
	requests: number;
	/** Items of the workflow's last node. */
	items?: number;
	/** Peak resident set of the n8n process (VmHWM), sampled. */
	peakRssBytes?: number;
	error?: string;
}

export interface RealSummary {
	latencyMs: number;
	scenario: string;
	node: { processMs: number; executionMs: number; requests: number[]; items: number[]; peakRssBytes: number };
	httpRequest: { processMs: number; executionMs: number; requests: number[]; items: number[]; peakRssBytes: number };
	/** HTTP Request workflow time / our node's workflow time (execution time; > 1 means ours is faster). */
	executionRatio: number;
	processRatio: number;
}

export interface RealResult {
	status: 'measured' | 'pending';
	reason?: string;
	n8nVersion?: string;
	nodeVersion?: string;
	runs?: RealRun[];
	summaries?: RealSummary[];
}

type Say = (line: string) => void;

/** The package as n8n's installer lays it out: manifest without dev dependencies, compiled dist/. */
function buildPackage(dir: string, patches: string[]): void {
	fs.rmSync(dir, { recursive: true, force: true });
	compileForWorkers(REPO_ROOT, path.join(dir, 'dist'), patches, ['nodes', 'credentials']);
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.scripts;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

function installInto(n8n: N8n, packageDir: string): void {
	const nodesDir = path.join(n8n.dotN8n, 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.cpSync(packageDir, target, { recursive: true });
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE]: '0.1.0' } }, null, 2),
	);
}

function workflowId(scenario: string, contender: string): string {
	return `B${contender === 'node' ? 'N' : 'H'}${scenario.replace(/[^a-z]/gi, '')}`.padEnd(16, '0').slice(0, 16);
}

interface NodeJson {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** Manual Trigger, then (for per-item work) the input items through Edit Fields (raw JSON) and Split Out. */
function prelude(input: object[] | undefined): NodeJson[] {
	const nodes: NodeJson[] = [
		{ id: 't', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	if (input) {
		nodes.push(
			{
				id: 'i',
				name: 'Input',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items: input }), options: {} },
			},
			{
				id: 's',
				name: 'Items',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'items', options: {} },
			},
		);
	}
	return nodes;
}

function chain(nodes: NodeJson[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflow(id: string, name: string, nodes: NodeJson[]): object {
	nodes.forEach((n, i) => (n.position = [i * 220, 0]));
	return { id, name, active: false, nodes, connections: chain(nodes), settings: { executionOrder: 'v1' }, pinData: {} };
}

function inputOf(spec: WorkSpec): object[] | undefined {
	return spec.kind === 'transcripts' || spec.kind === 'attachments' ? spec.input : undefined;
}

function ourWorkflow(scenario: Scenario): object {
	const { parameters } = nodeParameters(scenario.work);
	const nodes = prelude(inputOf(scenario.work));
	nodes.push({
		id: 'z',
		name: 'Zoho SalesIQ',
		type: `${PACKAGE}.zohoSalesIq`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as Record<string, unknown>,
		credentials: { zohoSalesIqOAuth2Api: ZOHO_CRED },
	});
	return workflow(workflowId(scenario.id, 'node'), `bench ${scenario.id} (Zoho SalesIQ node)`, nodes);
}

function http(name: string, parameters: Record<string, unknown>, auth = true): NodeJson {
	return {
		id: name.toLowerCase().replace(/\W/g, ''),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [0, 0],
		parameters: {
			method: 'GET',
			...(auth ? { authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api' } : {}),
			...parameters,
		},
		...(auth ? { credentials: { oAuth2Api: GENERIC_CRED } } : {}),
	};
}

function pagination(name: string, value: string, complete: string, maxPages?: number): Record<string, unknown> {
	return {
		pagination: {
			pagination: {
				paginationMode: 'updateAParameterInEachRequest',
				parameters: { parameters: [{ type: 'qs', name, value }] },
				paginationCompleteWhen: 'other',
				completeExpression: complete,
				...(maxPages ? { limitPagesFetched: true, maxRequests: maxPages } : {}),
			},
		},
	};
}

const splitOut = (field: string): NodeJson => ({
	id: 'so',
	name: 'Split Out',
	type: 'n8n-nodes-base.splitOut',
	typeVersion: 1,
	position: [0, 0],
	parameters: { fieldToSplitOut: field, options: {} },
});

const dedupe = (field: string): NodeJson => ({
	id: 'rd',
	name: 'Remove Duplicates',
	type: 'n8n-nodes-base.removeDuplicates',
	typeVersion: 2,
	position: [0, 0],
	parameters: { operation: 'removeDuplicateInputItems', compare: 'selectedFields', fieldsToCompare: field, options: {} },
});

/** The HTTP Request workflow a careful user builds for the same work, with completion expressions that end each list. */
function httpWorkflow(scenario: Scenario, sandbox: SandboxInfo): object {
	const api = `${sandbox.url}/api/v1/${sandbox.screenName}`;
	const spec = scenario.work;
	const nodes = prelude(inputOf(spec));
	const limit100 = { sendQuery: true, queryParameters: { parameters: [{ name: 'limit', value: '100' }] } };
	const lastOf = (field: string) => `={{ $response.body.data[$response.body.data.length - 1].${field} }}`;
	const shortPage = '={{ $response.body.data.length < 100 }}';
	switch (spec.kind) {
		case 'chats': {
			const pages = spec.limit === undefined ? undefined : Math.ceil(spec.limit / 100);
			nodes.push(
				http('List Chats', { url: `${api}/chats`, ...limit100, options: pagination('totime', lastOf('chatinitiated_time'), shortPage, pages) }),
				splitOut('data'),
				dedupe('chat_id'),
			);
			if (spec.limit !== undefined) {
				nodes.push({ id: 'l', name: 'Limit', type: 'n8n-nodes-base.limit', typeVersion: 1, position: [0, 0], parameters: { maxItems: spec.limit } });
			}
			break;
		}
		case 'transcripts':
			nodes.push(
				http('Get Transcript', {
					url: `={{ "${api}/chats/" + $json.chatId + "/transcript" }}`,
					...limit100,
					options: pagination('fromtime', lastOf('time'), shortPage),
				}),
				splitOut('data'),
			);
			break;
		case 'visitors':
			nodes.push(
				http('List Visitors', {
					url: `${api}/visitorsview/${spec.viewId}/visitors`,
					options: pagination('startkey', '={{ $response.body.data.startkey }}', '={{ !$response.body.data.startkey }}'),
				}),
				splitOut('data.visitorlist'),
			);
			break;
		case 'attachments':
			nodes.push(
				http('Get Link', { url: `={{ "${api}/chats/" + $json.chatId + $json.attachmentUrl }}`, options: {} }),
				http('Download', { url: '={{ $json.data.download_url }}', options: { response: { response: { responseFormat: 'file' } } } }, false),
			);
			break;
		case 'empty':
			break;
	}
	return workflow(workflowId(scenario.id, 'http'), `bench ${scenario.id} (HTTP Request node)`, nodes);
}

/** Work units in a run's output, counted like the in-process contenders count them. */
function unitsOf(scenario: Scenario, run: N8nRun): number | undefined {
	const data = run.data.resultData;
	const last = data.lastNodeExecuted;
	if (!last) return undefined;
	const items = data.runData[last]?.[0]?.data?.main?.[0] ?? [];
	if (scenario.work.kind === 'transcripts') return items.filter((item) => item.json.time !== undefined).length;
	return items.length;
}

/**
 * `n8n execute` as a whole process, with its peak RSS sampled from /proc. Its stdout goes to a file:
 * n8n exits right after printing the run, and a pipe would lose the end of a large run.
 */
function execute(n8n: N8n, id: string, profileDir?: string): Promise<{ ms: number; stdout: string; code: number | null; peakRssBytes?: number }> {
	const outFile = path.join(n8n.userFolder, `execute-${id}.out`);
	const out = fs.openSync(outFile, 'w');
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(n8n.install.nodeBin, [n8n.install.n8nBin, 'execute', `--id=${id}`, '--rawOutput'], {
			cwd: n8n.userFolder,
			env: profileDir ? { ...n8n.env, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-name=${id}-${Date.now()}.cpuprofile` } : n8n.env,
			detached: true,
			stdio: ['ignore', out, 'ignore'],
		});
		let peak = 0;
		const sample = () => {
			try {
				const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
				const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
				if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
			} catch {
				// The process has exited.
			}
		};
		const sampler = setInterval(sample, 50);
		const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 600_000);
		child.on('error', reject);
		child.on('close', (code) => {
			const ms = Date.now() - started;
			clearInterval(sampler);
			clearTimeout(timer);
			try {
				// The JS task runner child must not outlive the command.
				process.kill(-child.pid!, 'SIGKILL');
			} catch {
				// Already gone.
			}
			fs.closeSync(out);
			const stdout = fs.readFileSync(outFile, 'utf8');
			fs.rmSync(outFile, { force: true });
			resolve({ ms, stdout, code, peakRssBytes: peak || undefined });
		});
	});
}

export async function runRealN8n(options: {
	dataset: Dataset;
	scenarios: Scenario[];
	rounds: number;
	latencies: number[];
	patches: string[];
	workDir: string;
	/** Write a V8 CPU profile of every `n8n execute` here. */
	profileDir?: string;
	say: Say;
}): Promise<RealResult> {
	const f = flavor(2);
	if (!isReady(f)) {
		return { status: 'pending', reason: `the pinned n8n ${f.n8nVersion} is not installed in .n8n-cache (run: npx tsx test/e2e/setup-n8n.ts)` };
	}
	const install = await ensureN8n(2, { log: () => undefined });
	const packageDir = path.join(options.workDir, 'package');
	buildPackage(packageDir, options.patches);
	const userFolder = path.join(options.workDir, 'n8n-home');
	fs.rmSync(userFolder, { recursive: true, force: true });
	const n8n = await createN8n({ install, userFolder });
	installInto(n8n, packageDir);
	const runs: RealRun[] = [];
	try {
		for (const latencyMs of options.latencies) {
			const sandbox = await startSandboxProcess({ ...DATASET, latencyMs });
			try {
				const info = sandbox.info;
				await n8n.importCredentials([
					{ ...ZOHO_CRED, type: 'zohoSalesIqOAuth2Api', data: credentialFor(info) as Record<string, unknown> },
					{
						...GENERIC_CRED,
						type: 'oAuth2Api',
						data: {
							grantType: 'authorizationCode',
							authUrl: `${info.url}/oauth/v2/auth`,
							accessTokenUrl: `${info.url}/oauth/v2/token`,
							clientId: info.clientId,
							clientSecret: info.clientSecret,
							scope: 'SalesIQ.chatdetails.READ,SalesIQ.chattranscript.READ,SalesIQ.visitordetails.READ',
							authQueryParameters: 'access_type=offline',
							authentication: 'body',
							oauthTokenData: { access_token: info.accessToken, refresh_token: info.refreshToken, token_type: 'Bearer', expires_in: 86400 },
						},
					},
				]);
				await n8n.importWorkflow(options.scenarios.flatMap((s) => [ourWorkflow(s), httpWorkflow(s, info)]));
				options.say(`real n8n ${install.n8nVersion}: sandbox latency ${latencyMs} ms, ${options.scenarios.length} scenario(s) x ${options.rounds} rounds`);
				for (let round = 1; round <= options.rounds; round++) {
					for (const scenario of options.scenarios) {
						const order: Array<'node' | 'httpRequest'> = round % 2 ? ['node', 'httpRequest'] : ['httpRequest', 'node'];
						for (const contender of order) {
							await clearRequests(info.url);
							const result = await execute(n8n, workflowId(scenario.id, contender === 'node' ? 'node' : 'http'), options.profileDir);
							const requests = (await readRequests(info.url)).length;
							const run = extractRun(result.stdout);
							const record: RealRun = { latencyMs, round, scenario: scenario.id, contender, processMs: result.ms, requests, peakRssBytes: result.peakRssBytes };
							if (!run) record.error = `no run printed (exit ${result.code})`;
							else {
								const started = Date.parse(String(run.startedAt));
								const stopped = Date.parse(String(run.stoppedAt));
								if (Number.isFinite(started) && Number.isFinite(stopped)) record.executionMs = stopped - started;
								record.items = unitsOf(scenario, run);
								const error = run.data.resultData.error;
								if (error) record.error = String(error.message ?? 'error');
							}
							runs.push(record);
							options.say(
								`  real ${latencyMs} ms r${round} ${scenario.id.padEnd(12)} ${contender.padEnd(11)} ${String(record.processMs).padStart(6)} ms process, ` +
									`${String(record.executionMs ?? '–').padStart(6)} ms execution, ${String(requests).padStart(5)} req, ${record.items ?? '–'} ${scenario.unit}` +
									(record.error ? `  !! ${record.error}` : ''),
							);
						}
					}
				}
			} finally {
				await sandbox.stop();
			}
		}
	} finally {
		await n8n.dispose();
		fs.rmSync(options.workDir, { recursive: true, force: true });
	}
	return { status: 'measured', n8nVersion: install.n8nVersion, nodeVersion: install.nodeVersion, runs, summaries: summarize(runs) };
}

function summarize(runs: RealRun[]): RealSummary[] {
	const out: RealSummary[] = [];
	const keys = [...new Set(runs.map((r) => `${r.latencyMs}|${r.scenario}`))];
	for (const key of keys) {
		const [latency, scenario] = key.split('|');
		const pick = (contender: string) => {
			const list = runs.filter((r) => `${r.latencyMs}|${r.scenario}` === key && r.contender === contender && !r.error);
			return {
				processMs: median(list.map((r) => r.processMs)),
				executionMs: median(list.flatMap((r) => (r.executionMs === undefined ? [] : [r.executionMs]))),
				requests: list.map((r) => r.requests),
				items: list.flatMap((r) => (r.items === undefined ? [] : [r.items])),
				peakRssBytes: median(list.flatMap((r) => (r.peakRssBytes ? [r.peakRssBytes] : []))),
			};
		};
		const node = pick('node');
		const httpRequest = pick('httpRequest');
		out.push({
			latencyMs: Number(latency),
			scenario,
			node,
			httpRequest,
			executionRatio: httpRequest.executionMs / node.executionMs,
			processRatio: httpRequest.processMs / node.processMs,
		});
	}
	return out;
}
