/**
 * The Bot Trigger in a real `n8n start`, with the sandbox playing SalesIQ and the two bot examples
 * imported: the FAQ bot answers signed requests in real time from its last node (reply, forward, end)
 * within SalesIQ's 5-second limit and refuses unsigned or tampered ones with 401; the AI bot, which has
 * no key, answers `pending` at once and delivers its progress and reply through the callbacks API.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox';
import { sandboxCredential } from './lib/fixtures';
import { createN8n, freePort, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { REPO_ROOT } from './lib/paths';
import { e2eMajor, packedPackage } from './lib/suite';

const example = (file: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));
const FAQ = example('salesiq-faq-bot.json');
const AI = example('salesiq-ai-bot-async.json');
const TRIGGER = 'Zoho SalesIQ Bot Trigger';
const botUrl = (n8n: N8n, workflow: any) => `${n8n.baseUrl}/webhook/${workflow.nodes.find((n: any) => n.name === TRIGGER).webhookId}/bot`;

let sandbox: Sandbox;
let n8n: N8n;
let faqUrl: string;
let aiUrl: string;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 20, visitors: 10 });
	const port = await freePort();
	n8n = await createN8n({ name: 'bot', major: e2eMajor(), port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	// The FAQ bot is secured with the key the sandbox signs with; the AI bot is left open.
	const secured = structuredClone(FAQ);
	secured.nodes.find((n: any) => n.name === TRIGGER).parameters.publicKey = (await sandbox.bots.publicKey()).public_key;
	await n8n.importWorkflow([secured, AI]);
	await n8n.start();
	await n8n.rest.setupOwner();
	await n8n.rest.activateWorkflow(FAQ.id);
	await n8n.rest.activateWorkflow(AI.id);
	faqUrl = botUrl(n8n, FAQ);
	aiUrl = botUrl(n8n, AI);
}, 180_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

describe('FAQ bot (reply from the last node)', () => {
	it('answers SalesIQ\'s HEAD check with 200', async () => {
		expect((await fetch(faqUrl, { method: 'HEAD' })).status).toBe(200);
	});

	it('answers a signed question within the time limit, and the sandbox records the reply', async () => {
		const exchange = await sandbox.bots.play({ url: faqUrl, text: 'What does the pricing look like?' });
		expect(exchange).toEqual(
			expect.objectContaining({
				status: 200,
				accepted: true,
				action: 'reply',
				response: {
					action: 'reply',
					replies: ['Plans start at $10 a month, and the first 14 days are free.'],
					suggestions: ['Pricing', 'Opening hours', 'Shipping', 'Talk to an agent'],
				},
			}),
		);
		expect(exchange.elapsedMs).toBeLessThan(5000);
		expect(sandbox.bots.exchanges().find((e) => e.requestId === exchange.requestId)?.accepted).toBe(true);
	});

	it('greets a visitor who lands, by name', async () => {
		const exchange = await sandbox.bots.play({ url: faqUrl, handler: 'trigger', visitor: { name: 'Ada' } });
		expect(exchange.accepted).toBe(true);
		expect((exchange.response as any).replies[0]).toMatch(/^Hi Ada!/);
	});

	it('forwards to a human on "agent" and ends the chat on "bye", as valid actions', async () => {
		const forward = await sandbox.bots.play({ url: faqUrl, text: 'Can I talk to an AGENT?' });
		expect([forward.accepted, forward.action, forward.problems]).toEqual([true, 'forward', []]);
		const end = await sandbox.bots.play({ url: faqUrl, text: 'ok bye', conversationId: forward.conversationId });
		expect([end.accepted, end.action, end.problems]).toEqual([true, 'end', []]);
		expect(JSON.parse(end.body).operation).toBe('message');
	});

	it('refuses an unsigned request and a tampered body with 401, starting no execution', async () => {
		const before = (await n8n.rest.listExecutions(FAQ.id)).length;
		const unsigned = await sandbox.bots.play({ url: faqUrl, signed: false });
		const tampered = await sandbox.bots.play({ url: faqUrl, tamper: true });
		expect([unsigned.status, tampered.status]).toEqual([401, 401]);
		expect([unsigned.accepted, tampered.accepted]).toEqual([false, false]);
		await new Promise((r) => setTimeout(r, 1000));
		expect((await n8n.rest.listExecutions(FAQ.id)).length).toBe(before);
	});
});

describe('AI bot (pending, then Bot > Send Reply)', () => {
	it('answers pending at once to an unsigned request, then delivers progress and the reply through the callbacks', async () => {
		const exchange = await sandbox.bots.play({ url: aiUrl, signed: false, text: 'Where is my order?' });
		expect(exchange).toEqual(
			expect.objectContaining({ accepted: true, action: 'pending', response: { action: 'pending', replies: ['One moment, I am looking into it…'] } }),
		);
		expect(exchange.elapsedMs).toBeLessThan(5000);

		const execution = await n8n.rest.waitForExecution(AI.id);
		expect(execution.status).toBe('success');
		const calls = sandbox.bots.callbacks().filter((c) => c.requestId === exchange.requestId);
		expect(calls.map((c) => [c.kind, c.status])).toEqual([
			['progress', 200],
			['response', 200],
		]);
		expect(calls[1].body).toEqual({ action: 'reply', replies: ['You asked: "Where is my order?". An AI agent would answer here.'] });
	});
});
