/**
 * The example "Save the transcript when a conversation ends" in a real `n8n start`: activated, it
 * subscribes at the sandbox; a signed conversation.completed delivery starts an execution whose
 * Transcript node reads the conversation through SalesIQ's v2 API (the delivery carries the long
 * conversation id) and whose CRM note holds the whole transcript as text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conversationIdForChat, startSandbox, type AttachmentMessage, type Sandbox, type TranscriptMessage } from '../sandbox';
import { sandboxCredential } from './lib/fixtures';
import { createN8n, freePort, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { REPO_ROOT } from './lib/paths';
import { e2eMajor, packedPackage } from './lib/suite';

const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'save-transcript-when-conversation-ends.json'), 'utf8'));
const TIME_ZONE = 'Europe/Berlin';

let sandbox: Sandbox;
let n8n: N8n;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 600, visitors: 100, seed: 7 });
	const port = await freePort();
	n8n = await createN8n({ name: 'transcript', major: e2eMajor(), port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/`, GENERIC_TIMEZONE: TIME_ZONE } });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	await n8n.importWorkflow(example);
	await n8n.start();
	await n8n.rest.setupOwner();
}, 180_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

/** `[YYYY-MM-DD HH:MM:SS] name: text` in the time zone, as the Text format writes a line. */
function line(entry: TranscriptMessage | AttachmentMessage): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
			.formatToParts(new Date(Number(entry.time)))
			.map((p) => [p.type, p.value]),
	);
	const text = 'mode' in entry ? `[attachment: ${entry.msg.fName}, ${entry.msg.content}, ${entry.msg.size} bytes]` : entry.msg.replace(/\r?\n/g, '\n    ');
	return `[${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}] ${entry.dname}: ${text}`;
}

it('saves the full transcript of the conversation that ended, read through v2', async () => {
	await n8n.rest.activateWorkflow(example.id);
	expect(sandbox.webhooks()).toEqual([expect.objectContaining({ events: ['conversation.completed'], status: 'active' })]);

	// A long conversation with files, so the transcript spans several v2 pages.
	const chat = sandbox.dataset.chats.find((c) => {
		const record = sandbox.dataset.chatRecord(c.chat_id)!;
		return !record.missed && record.messageCount >= 150 && record.attachmentCount > 0 && c.visitor_email;
	})!;
	expect(chat).toBeDefined();
	const conversationId = conversationIdForChat(sandbox.dataset, chat.chat_id)!;
	const messages = sandbox.dataset.transcriptOf(chat.chat_id)!.slice(1) as Array<TranscriptMessage | AttachmentMessage>;
	sandbox.clearRequests();

	const before = (await n8n.rest.listExecutions(example.id)).map((e) => e.id);
	const [delivery] = await sandbox.deliverEvent({ event: 'conversation.completed', chatId: chat.chat_id });
	expect(delivery.status).toBe(200);
	expect(sandbox.deliveries().at(-1)!.headers['x-siqsignature']).toEqual(expect.any(String));

	const execution = await n8n.rest.waitForExecution(example.id, { after: before, timeoutMs: 60_000 });
	expect(execution.status).toBe('success');
	const runData = execution.data.resultData.runData;
	expect(runData['Conversation ends'][0].data.main[0][0].json).toMatchObject({ conversation_id: conversationId, reference_id: chat.chat_id });
	const [note] = runData['CRM note'][0].data.main[0];
	expect(note.json).toEqual({
		title: `SalesIQ chat with ${chat.visitor_name}: ${chat.question}`,
		content: messages.map(line).join('\n'),
		visitor_email: chat.visitor_email,
		started_at: new Date(Number(chat.chatinitiated_time)).toISOString(),
		message_count: messages.length,
		conversation_id: conversationId,
	});

	const api = sandbox.requests().filter((r) => r.path.startsWith('/api/'));
	const v2 = `/api/v2/${sandbox.screenName}/conversations/${conversationId}`;
	expect(api.filter((r) => r.path.startsWith('/api/v1/'))).toEqual([]);
	expect(api.filter((r) => r.path === v2)).toHaveLength(1);
	expect(api.filter((r) => r.path === `${v2}/messages`).length).toBeGreaterThanOrEqual(2);

	await n8n.rest.deactivateWorkflow(example.id);
	expect(sandbox.webhooks()).toEqual([]);
});
