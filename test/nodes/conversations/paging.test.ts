import type { INode } from 'n8n-workflow';

import { timeWindowPages } from '../../../nodes/ZohoSalesIq/transport/paging';
import { credentialFor, runNode } from '../../harness';
import { conversationIdForChat, startSandbox } from '../../sandbox';

const node: INode = { id: 'n', name: 'Zoho SalesIQ', type: 'n8n-nodes-zoho-salesiq.zohoSalesIq', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * v2 messages page backwards with `to_time`, and Zoho does not say whether that bound is inclusive.
 * With one millisecond of slack the pager reads every message once under both readings.
 */
describe('backward paging with an undocumented bound', () => {
	type Message = { id: string; t: number };
	// 400 messages, newest first; runs of up to 4 share a millisecond and neighbours are often 1 ms apart.
	const messages: Message[] = [];
	for (let i = 0, t = 1_000_000; i < 400; i++) {
		messages.push({ id: `m${i}`, t });
		if (i % 5 !== 3) t -= i % 3 === 0 ? 1 : 0;
		else t -= 7;
	}
	const read = async (inclusive: boolean, slack?: number) => {
		const sent: number[] = [];
		const pages = timeWindowPages<Message>({
			node,
			itemIndex: 0,
			order: 'newestFirst',
			noun: 'conversation messages',
			maxPageSize: 99,
			documentedDefaultPage: 20,
			boundSlackMs: slack,
			timeOf: (m) => m.t,
			keyOf: (m) => m.id,
			fetchPage: async (size, _from, to) => {
				const bound = to ?? Number.MAX_SAFE_INTEGER;
				sent.push(bound);
				return messages.filter((m) => (inclusive ? m.t <= bound : m.t < bound)).slice(0, size);
			},
		});
		const ids: string[] = [];
		for await (const page of pages) ids.push(...page.map((m) => m.id));
		return { ids, sent };
	};

	it.each([
		['inclusive', true],
		['exclusive', false],
	])('reads every message once when Zoho reads to_time as %s', async (_reading, inclusive) => {
		const { ids, sent } = await read(inclusive, 1);
		expect(ids).toEqual(messages.map((m) => m.id));
		expect(sent.length).toBeGreaterThanOrEqual(5);
		expect(sent.slice(1)).toEqual([...sent.slice(1)].sort((a, b) => b - a));
	});

	it('without the slack an exclusive bound would lose the messages that share the edge', async () => {
		const { ids } = await read(false, 0);
		expect(ids.length).toBeLessThan(messages.length);
	});
});

describe('Transcript > Get by conversation under both readings of to_time (sandbox variant v2-to-time)', () => {
	it.each([['inclusive'], ['exclusive']])('with to_time %s, a long transcript comes back whole and in order', async (reading) => {
		const sb = await startSandbox({ port: 0, seed: 7, chats: 1000, visitors: 50, variants: { 'v2-to-time': reading } });
		try {
			const chat = sb.dataset.chats.find((c) => !c.missed_time && sb.dataset.chatRecord(c.chat_id)!.messageCount >= 150)!;
			const messages = sb.dataset.transcriptOf(chat.chat_id)!.slice(1) as Array<{ time: string }>;
			const result = await runNode({
				parameters: { resource: 'transcript', operation: 'get', chatId: conversationIdForChat(sb.dataset, chat.chat_id)!, returnAll: true },
				credential: credentialFor(sb),
			});
			expect(result.error).toBeUndefined();
			expect(result.json.map((m) => m.time)).toEqual(messages.map((m) => Number(m.time)));
		} finally {
			await sb.stop();
		}
	});
});
