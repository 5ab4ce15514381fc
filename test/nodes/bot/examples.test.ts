/**
 * The bot examples in-process: every Build Reply of the FAQ bot gives an answer SalesIQ accepts, and
 * the AI bot's Bot nodes answer a real pending request through the callbacks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { credentialFor, PACKAGE, runNode } from '../../harness';
import { startTrigger } from '../../harness/webhook';
import type { Sandbox } from '../../sandbox';
import { checkBotResponse } from '../../sandbox/bot-payloads';
import { NODE_TYPE, smallSandbox } from '../helpers';

interface Node {
	name: string;
	type: string;
	parameters: INodeParameters;
	credentials?: Record<string, { name: string }>;
}
const load = (file: string) => JSON.parse(readFileSync(join(__dirname, '../../../examples', file), 'utf8')) as { id: string; nodes: Node[] };

let sb: Sandbox;
beforeAll(async () => (sb = await smallSandbox({ chats: 10, visitors: 10 })));
afterAll(async () => await sb.stop());

const triggerItem = { handler: 'message', text: 'What about shipping?', visitor: { name: 'Ada' }, requestId: 'r-1', conversationId: '1900000001' };

it('FAQ bot: each Build Reply answers with a response SalesIQ accepts, without a credential', async () => {
	const workflow = load('salesiq-faq-bot.json');
	const builds = workflow.nodes.filter((n) => n.type === NODE_TYPE);
	expect(builds.map((n) => n.parameters.botAction)).toEqual(['reply', 'forward', 'end', 'reply']);
	for (const node of builds) {
		expect(node.credentials).toBeUndefined();
		const input = node.name === 'Answer' ? [{ answer: 'Orders ship within 2 working days, worldwide.' }] : [triggerItem];
		const result = await runNode({ parameters: node.parameters, credential: credentialFor(sb), input });
		expect(result.error).toBeUndefined();
		expect(checkBotResponse(result.json[0]).problems).toEqual([]);
	}
	expect(sb.requests()).toEqual([]);
});

it('AI bot: progress and reply reach the callbacks of a pending request', async () => {
	const workflow = load('salesiq-ai-bot-async.json');
	const trigger = await startTrigger({
		nodeType: `${PACKAGE}.zohoSalesIqBotTrigger`,
		parameters: workflow.nodes.find((n) => n.type === `${PACKAGE}.zohoSalesIqBotTrigger`)!.parameters,
		credential: credentialFor(sb),
	});
	try {
		await trigger.activate();
		const exchange = await sb.bots.play({ url: trigger.webhookUrl(), signed: false, text: 'Hi' });
		expect(exchange.action).toBe('pending');
		const item = { ...trigger.emitted()[0].json, output: 'An answer' };
		// The nodes read the request id from the trigger by name; here the item itself carries it.
		for (const name of ['Tell the visitor', 'Send reply']) {
			const node = workflow.nodes.find((n) => n.name === name)!;
			expect(node.credentials?.zohoSalesIqOAuth2Api?.name).toBe('Zoho SalesIQ (sandbox)');
			const parameters = { ...node.parameters, requestId: '={{ $json.requestId }}' };
			expect((await runNode({ parameters, credential: credentialFor(sb), input: [item] })).error).toBeUndefined();
		}
		expect(sb.bots.callbacks().map((c) => [c.kind, c.status, c.body])).toEqual([
			['progress', 200, { text: 'Still working on your question…' }],
			['response', 200, { action: 'reply', replies: ['An answer'] }],
		]);
	} finally {
		await trigger.stop();
	}
});
