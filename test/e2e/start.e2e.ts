/**
 * `npm start` (test/e2e/start.ts) as a newcomer uses it: one command brings up the sandbox and n8n with
 * the package, an owner, a connected credential and the example workflows; the export example runs;
 * a second start on busy ports fails clearly; Ctrl-C leaves no process behind; a restart keeps the
 * user's work and installs the package again. Always n8n 2.x, like `npm start` itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { CREDENTIAL_ID, CREDENTIAL_NAME, PACKAGE_NAME } from './lib/fixtures';
import { flavor } from './lib/install';
import { freePort } from './lib/n8n';
import { REPO_ROOT, WORK_DIR } from './lib/paths';
import { alive, listening, processesOf } from './lib/processes';
import { N8nRest } from './lib/rest';
import { e2eMajor } from './lib/suite';

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const example = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
const EXAMPLE = example('export-yesterdays-chats.json');
const CRM_EXAMPLE = example('update-visitor-from-crm-webhook.json');
const TRANSCRIPT_EXAMPLE = example('save-transcript-when-conversation-ends.json');

interface Started {
	child: ChildProcess;
	output: () => string;
	exit: Promise<number | null>;
}

let n8nPort: number;
let sandboxPort: number;
let userFolder: string;
let current: Started | undefined;

function env(): NodeJS.ProcessEnv {
	const clean: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|JEST_|NODE_ENV$|PORT$|SANDBOX_PORT$)/i.test(key)) clean[key] = value;
	return clean;
}

/** Runs start.ts as a terminal would: in its own process group, which Ctrl-C signals as a whole. */
function launch(args: string[]): Started {
	const child = spawn(TSX, ['test/e2e/start.ts', ...args], { cwd: REPO_ROOT, env: env(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let text = '';
	child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
	const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
	return { child, output: () => text, exit };
}

async function waitFor(started: Started, pattern: RegExp, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	void started.exit.then(() => (exited = true));
	while (!pattern.test(started.output())) {
		if (exited) throw new Error(`start.ts exited before printing ${pattern}:\n${started.output()}`);
		if (Date.now() > deadline) throw new Error(`start.ts did not print ${pattern} within ${timeoutMs} ms:\n${started.output()}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

function startDev(): Promise<Started> {
	const started = launch(['--port', String(n8nPort), '--sandbox-port', String(sandboxPort), '--user-folder', userFolder]);
	current = started;
	return waitFor(started, /\[start\] ready: /, 240_000).then(() => started);
}

/** Ctrl-C: SIGINT to the whole process group. Resolves to the exit code. */
async function interrupt(started: Started, timeoutMs = 45_000): Promise<number | null> {
	process.kill(-started.child.pid!, 'SIGINT');
	let timer: NodeJS.Timeout | undefined;
	const code = await Promise.race([started.exit, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
	clearTimeout(timer);
	if (code === 'timeout') throw new Error(`start.ts did not stop within ${timeoutMs} ms after SIGINT:\n${started.output()}`);
	return code;
}

async function signedIn(): Promise<N8nRest> {
	const fromN8n = createRequire(path.join(flavor(2).installDir, 'node_modules', 'n8n', 'package.json'));
	const rest = new N8nRest(`http://127.0.0.1:${n8nPort}`, (m) => fromN8n(m));
	await rest.login();
	return rest;
}

async function sandbox<T = any>(route: string): Promise<T> {
	return (await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox${route}`)).json() as Promise<T>;
}

const suite = e2eMajor() === 2 ? describe : describe.skip;

beforeAll(async () => {
	n8nPort = await freePort();
	sandboxPort = await freePort();
	userFolder = path.join(WORK_DIR, `start-${Date.now().toString(36)}`);
});

afterAll(async () => {
	if (current && current.child.exitCode === null) await interrupt(current).catch(() => process.kill(-current!.child.pid!, 'SIGKILL'));
	if (userFolder && !process.env.E2E_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
});

suite('npm start', () => {
	let first: Started;

	it('brings up the sandbox and n8n with an owner, a connected credential and the examples', async () => {
		first = await startDev();
		expect(first.output()).toContain(`http://127.0.0.1:${n8nPort}`);
		const rest = await signedIn();

		const credential = await rest.getCredential(CREDENTIAL_ID);
		expect(credential.name).toBe(CREDENTIAL_NAME);
		// Connected through the real authorization-code flow at the sandbox.
		const tokens = await sandbox<Array<{ body: string }>>('/token-requests');
		expect(tokens.map((t) => new URLSearchParams(t.body).get('grant_type'))).toContain('authorization_code');

		for (const imported of [EXAMPLE, CRM_EXAMPLE, TRANSCRIPT_EXAMPLE]) {
			const workflow = await rest.getWorkflow(imported.id);
			expect(workflow.name).toBe(imported.name);
			expect(workflow.nodes.map((node: { type: string }) => node.type)).toEqual(imported.nodes.map((node: { type: string }) => node.type));
		}
	});

	it('runs the example "export yesterday\'s chats with transcripts"', async () => {
		const rest = await signedIn();
		const trigger = EXAMPLE.nodes.find((node: { name: string }) => !Object.values(EXAMPLE.connections).some((c: any) => c.main.flat().some((to: any) => to.node === node.name)));
		const last = EXAMPLE.nodes.find((node: { name: string }) => !EXAMPLE.connections[node.name]);
		const executionId = await rest.runWorkflow(EXAMPLE.id, trigger.name);
		const execution = await rest.waitForExecution(EXAMPLE.id, { done: (e) => e.id === executionId && !['new', 'running', 'waiting'].includes(e.status) });
		expect(execution.status).toBe('success');

		// Yesterday in the instance's time zone (UTC), relative to when the execution ran.
		const today = Date.parse(`${String(execution.startedAt).slice(0, 10)}T00:00:00.000Z`);
		const { chats } = await sandbox<{ chats: Array<{ chat_id: string; chatinitiated_time: string; missed_time?: string }> }>('/dataset?chats=all&visitors=0');
		const expected = chats.filter((c) => {
			const t = Number(c.chatinitiated_time);
			return t >= today - 86_400_000 && t < today && !c.missed_time;
		});
		expect(expected.length).toBeGreaterThan(0);
		const items = execution.data.resultData.runData[last.name][0].data.main[0].map((item: { json: Record<string, any> }) => item.json);
		expect(items.map((json: Record<string, any>) => json.chatId).sort()).toEqual(expected.map((c) => c.chat_id).sort());
		expect(items.every((json: Record<string, any>) => typeof json.conversation === 'string' && json.conversation.length > 0)).toBe(true);
	});

	it('the FAQ bot example is active and answers a visitor message played as the banner shows', async () => {
		const command = /curl -s -X POST (\S+\/__sandbox\/bot\/play) -d '(.+)'/.exec(first.output());
		expect(command).not.toBeNull();
		const exchange = (await (await fetch(command![1], { method: 'POST', body: command![2] })).json()) as Record<string, any>;
		expect(exchange).toEqual(expect.objectContaining({ status: 200, accepted: true, action: 'reply' }));
		expect(exchange.response.replies[0]).toContain('$10 a month');
		expect(exchange.elapsedMs).toBeLessThan(5000);
	});

	it('runs the example "update a SalesIQ visitor from a CRM webhook" once it is activated', async () => {
		const rest = await signedIn();
		await rest.activateWorkflow(CRM_EXAMPLE.id);
		const webhook = CRM_EXAMPLE.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-base.webhook');
		const { visitors } = await sandbox<{ visitors: Array<{ email: string }> }>('/dataset?chats=0&visitors=50');
		const email = visitors.find((v) => v.email)!.email;

		const res = await fetch(`http://127.0.0.1:${n8nPort}/webhook/${webhook.parameters.path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, crm_id: 'L-1001', plan: 'premium', owner: 'Patricia' }),
		});
		expect(res.status).toBe(200);
		const updates = (await sandbox<Array<{ method: string; path: string; query: Record<string, string> }>>('/requests?match=/visitorsbyemail/'));
		expect(updates.map((r) => [r.method, decodeURIComponent(r.path).endsWith(`/visitorsbyemail/${email}`)])).toEqual([['PUT', true]]);
		expect(JSON.parse(updates[0].query.customerinfo)).toEqual({ crm_id: 'L-1001', plan: 'premium', account_owner: 'Patricia' });
		await rest.deactivateWorkflow(CRM_EXAMPLE.id);
	});

	it('a second start on the same ports fails at once with a clear message', async () => {
		const second = launch(['--port', String(n8nPort), '--sandbox-port', String(sandboxPort + 1), '--user-folder', `${userFolder}-second`]);
		expect(await second.exit).toBe(1);
		expect(second.output()).toContain(`port ${n8nPort} on 127.0.0.1 (n8n) is already in use`);
		expect(fs.existsSync(`${userFolder}-second`)).toBe(false);
	});

	it('Ctrl-C stops n8n, its task runner and the sandbox', async () => {
		const rest = await signedIn();
		await rest.createWorkflow({ name: 'My own work', nodes: [], connections: {}, settings: {} });
		// n8n and its task runner.
		const before = processesOf(userFolder);
		expect(before.length).toBeGreaterThanOrEqual(2);

		expect(await interrupt(first)).toBe(0);
		expect(before.filter(alive)).toEqual([]);
		expect(processesOf(userFolder)).toEqual([]);
		expect(await listening(n8nPort)).toBe(false);
		expect(await listening(sandboxPort)).toBe(false);
	});

	it('a restart keeps the user\'s work and installs the package again', async () => {
		const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		fs.writeFileSync(path.join(installed, 'stale-marker'), 'from the previous run');

		const again = await startDev();
		expect(again.output()).not.toContain('created the owner');
		expect(again.output()).not.toContain('imported');
		expect(fs.existsSync(path.join(installed, 'stale-marker'))).toBe(false);
		const rest = await signedIn();
		const { data } = (await rest.request('GET', '/rest/workflows')).body;
		const names = (Array.isArray(data) ? data : data.data).map((w: { name: string }) => w.name);
		expect(names).toEqual(expect.arrayContaining(['My own work', EXAMPLE.name]));
		const running = processesOf(userFolder);
		expect(await interrupt(again)).toBe(0);
		expect(running.filter(alive)).toEqual([]);
	});
});
