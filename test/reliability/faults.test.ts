/**
 * The fault matrix: every read operation against every fault kind, injected through the sandbox
 * (cases FLT-<fault>-<operation>). Rows run concurrently, each against its own sandbox, so the
 * retry back-offs and timeouts of one row do not add up with the others.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import type { INodeParameters } from 'n8n-workflow';

import type { RunResult } from '../harness';
import { credentialFor } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { FAULT_MATRIX, caseTitle, type MatrixRow, type ReadOperation } from './cases';
import { finalChecks, installChecks, observe, outcome, runChecked } from './support';

installChecks();

const SANDBOX = { port: 0, seed: 7, chats: 150, visitors: 150 };

interface Target {
	parameters: INodeParameters;
	/** Path fragment of the requests the fault hits. */
	match: string;
	/** Asserts the complete, correct result. */
	verify: (result: RunResult) => void;
}

function target(sb: Sandbox, operation: ReadOperation): Target {
	const { dataset } = sb;
	const records = dataset.chats.map((c) => dataset.chatRecord(c.chat_id)!);
	const file = [...dataset.attachments.values()][0];
	const longest = records.filter((r) => !r.missed).sort((a, b) => b.messageCount - a.messageCount)[0];
	const api = '/api/';
	switch (operation) {
		case 'chat.get': {
			const chat = dataset.chats[5];
			return {
				parameters: { resource: 'chat', operation: 'get', chatId: chat.chat_id },
				match: api,
				verify: (result) => expect(result.json).toEqual([chat]),
			};
		}
		case 'chat.getAll':
			return {
				parameters: { resource: 'chat', operation: 'getAll', returnAll: true },
				match: api,
				verify: (result) => expect(result.json.map((c) => c.chat_id)).toEqual(dataset.chats.map((c) => c.chat_id)),
			};
		case 'transcript.get': {
			const chatId = longest.chat.chat_id;
			const messages = dataset.transcriptOf(chatId)!.slice(1);
			return {
				parameters: { resource: 'transcript', operation: 'get', chatId, returnAll: true },
				match: api,
				verify: (result) => {
					expect(messages.length).toBeGreaterThan(100);
					expect(result.json.map((m) => String(m.time))).toEqual(messages.map((m) => String((m as { time: string }).time)));
				},
			};
		}
		case 'attachment.getAll': {
			const files = dataset.transcript(file.chatId)!.attachments;
			return {
				parameters: { resource: 'attachment', operation: 'getAll', chatId: file.chatId },
				match: api,
				verify: (result) => expect(result.json.map((a) => a.fileId)).toEqual(files.map((f) => f.fileId)),
			};
		}
		case 'attachment.download':
		case 'attachment.link':
			return {
				parameters: { resource: 'attachment', operation: 'download', chatId: file.chatId, attachmentUrl: file.url, binaryPropertyName: 'data' },
				match: operation === 'attachment.link' ? '/pubdownload/' : api,
				verify: (result) => {
					expect(result.items).toHaveLength(1);
					expect(Buffer.from(result.items[0].binary!.data.data, 'base64').equals(file.bytes)).toBe(true);
				},
			};
		case 'visitor.getAll':
			return {
				parameters: { resource: 'visitor', operation: 'getAll', viewId: '-1', returnAll: true },
				match: api,
				verify: (result) => expect(result.json.map((v) => v.id)).toEqual(dataset.visitorsInView('-1')!.map((v) => v.id)),
			};
	}
}

/** What the error of a failing row must say, for SalesIQ API calls and for the public download link. */
const ERROR_TEXT: Record<string, { api: RegExp[]; link: RegExp[] }> = {
	'429-budget': { api: [/error 1023/, /retried 3 times/], link: [/HTTP 429/, /tried 4 times/] },
	'503-budget': { api: [/HTTP 503/, /tried 3 times/], link: [/HTTP 503/, /tried 3 times/] },
	'reset-budget': { api: [/closed unexpectedly/, /tried 3 times/], link: [/download failed/, /tried 3 times/] },
	'no-retry': { api: [/HTTP 500/], link: [/HTTP 500/] },
	hang: { api: [/did not answer within 300 ms/], link: [/did not finish within 300 ms/] },
	malformed: { api: [/cannot read/, /not valid JSON/], link: [/incomplete/] },
	'html-200': { api: [/cannot read/, /HTML page/], link: [/incomplete/] },
	empty: { api: [/cannot read/, /body was empty/], link: [/incomplete/] },
};

function countOn(sb: Sandbox, match: string): number {
	return sb.requests(match).filter((r) => r.path.startsWith(match === '/api/' ? '/api/' : '/pubdownload/')).length;
}

describe('fault matrix: every read operation x every fault', () => {
	it.concurrent.each(FAULT_MATRIX.map((row) => [caseTitle(row.id), row] as const))('%s', async (_title: string, row: MatrixRow) => {
		const sb = await startSandbox(SANDBOX);
		try {
			const t = target(sb, row.operation);
			const credential = credentialFor(sb);
			const clean = await runChecked({ parameters: t.parameters, credential, label: `${row.id} (clean)` });
			expect(clean.error).toBeUndefined();
			t.verify(clean);
			const cleanCount = countOn(sb, t.match);

			sb.clearRequests();
			sb.inject({ ...row.spec.fault, match: t.match });
			const parameters = { ...t.parameters, options: { ...row.spec.options } };
			const started = Date.now();
			const result = await runChecked({ parameters, credential, label: row.id });
			const elapsed = Date.now() - started;
			const count = countOn(sb, t.match);
			observe(row.id, outcome(result, `${count} request${count === 1 ? '' : 's'} to the faulted path (clean run: ${cleanCount})`));

			if (row.spec.recovers) {
				expect(result.error).toBeUndefined();
				t.verify(result);
				expect(count).toBe(cleanCount + row.spec.requests);
				return;
			}
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.items).toEqual([]);
			expect(count).toBe(row.spec.requests);
			const text = `${result.error?.message} ${(result.error as { description?: string }).description ?? ''}`;
			for (const pattern of ERROR_TEXT[row.spec.key][row.operation === 'attachment.link' ? 'link' : 'api']) expect(text).toMatch(pattern);
			if (row.spec.key === 'hang') expect(elapsed).toBeLessThan(5000);
		} finally {
			await sb.stop();
		}
	});
});

finalChecks();
