import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { credentialFor, runNode } from '../harness';
import { conversationIdForChat } from '../sandbox';
import type { Sandbox } from '../sandbox';
import { apiRequests, NODE_TYPE, smallSandbox } from './helpers';

interface WorkflowFile {
	id: string;
	nodes: Array<{ name: string; type: string; parameters: INodeParameters; credentials?: Record<string, { id: string; name: string }> }>;
}

const load = (file: string) => JSON.parse(readFileSync(join(__dirname, '../../examples', file), 'utf8')) as WorkflowFile;
const nodeOf = (workflow: WorkflowFile, name: string) => workflow.nodes.find((n) => n.name === name)!;

describe('example workflows', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 600 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it.each([['export-yesterdays-chats.json'], ['update-visitor-from-crm-webhook.json'], ['save-transcript-when-conversation-ends.json']])('%s uses the package node and the sandbox credential', (file) => {
		const workflow = load(file);
		expect(workflow.id).toHaveLength(16);
		const ours = workflow.nodes.filter((n) => n.type === NODE_TYPE);
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) expect(node.credentials?.zohoSalesIqOAuth2Api?.name).toBe('Zoho SalesIQ (sandbox)');
	});

	it('export: the chat node asks for exactly yesterday, and the transcript node gives one text item per chat', async () => {
		const workflow = load('export-yesterdays-chats.json');
		const chats = await runNode({ parameters: nodeOf(workflow, "Yesterday's chats").parameters, credential: credentialFor(sb) });
		expect(chats.error).toBeUndefined();

		const { fromtime, totime } = apiRequests(sb)[0].query;
		expect(Number(totime) - Number(fromtime)).toBeGreaterThanOrEqual(23 * 3_600_000 - 1);
		expect(Number(totime) - Number(fromtime)).toBeLessThanOrEqual(25 * 3_600_000 - 1);
		const expected = sb.dataset.chats.filter((c) => Number(c.chatinitiated_time) >= Number(fromtime) && Number(c.chatinitiated_time) <= Number(totime));
		expect(chats.json.map((c) => c.chat_id)).toEqual(expected.map((c) => c.chat_id));
		expect(expected.length).toBeGreaterThan(0);

		const answered = chats.json.filter((c) => c.missed_time === undefined);
		const transcripts = await runNode({
			parameters: nodeOf(workflow, 'Transcript as text').parameters,
			credential: credentialFor(sb),
			input: answered,
		});
		expect(transcripts.error).toBeUndefined();
		expect(transcripts.json.map((t) => t.chatId)).toEqual(answered.map((c) => c.chat_id));
		expect(transcripts.json.every((t) => typeof t.conversation === 'string' && (t.messageCount as number) > 0)).toBe(true);
		expect(transcripts.items.map((i) => i.pairedItem)).toEqual(answered.map((_c, item) => ({ item })));
	});

	it('webhook: the visitor node maps the CRM payload to customer info', async () => {
		const workflow = load('update-visitor-from-crm-webhook.json');
		const visitor = sb.dataset.visitors[3];
		const result = await runNode({
			parameters: nodeOf(workflow, 'Update visitor').parameters,
			credential: credentialFor(sb),
			input: [{ headers: {}, body: { email: visitor.email, crm_id: 'L-1001', plan: 'premium', owner: 'Patricia' } }],
		});

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ email: visitor.email, customerInfo: { crm_id: 'L-1001', plan: 'premium', account_owner: 'Patricia' } }]);
		expect(JSON.parse(apiRequests(sb)[0].query.customerinfo)).toEqual({ crm_id: 'L-1001', plan: 'premium', account_owner: 'Patricia' });
	});

	it('transcript: the Transcript node reads the trigger’s conversation_id through v2 and gives the whole chat as text', async () => {
		const workflow = load('save-transcript-when-conversation-ends.json');
		const chat = sb.dataset.chats.find((c) => !c.missed_time && sb.dataset.chatRecord(c.chat_id)!.messageCount >= 30)!;
		const conversationId = conversationIdForChat(sb.dataset, chat.chat_id)!;
		const result = await runNode({
			parameters: nodeOf(workflow, 'Transcript as text').parameters,
			credential: credentialFor(sb),
			input: [{ event: 'conversation.completed', conversation_id: conversationId, reference_id: chat.chat_id }],
		});

		expect(result.error).toBeUndefined();
		expect(apiRequests(sb).every((r) => r.path.startsWith(`/api/v2/${sb.screenName}/conversations/${conversationId}`))).toBe(true);
		expect(result.json).toEqual([
			expect.objectContaining({ chatId: conversationId, visitorName: chat.visitor_name, question: chat.question, messageCount: sb.dataset.transcriptOf(chat.chat_id)!.length - 1 }),
		]);
	});
});
