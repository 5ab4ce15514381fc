import { credentialFor, runListSearch } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { apiRequests, smallSandbox } from '../helpers';

describe('Chat field > From List (searchChats)', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox({ chats: 450, seed: 3 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	const search = (filter?: string, paginationToken?: string, parameters = {}) =>
		runListSearch({ parameters: { resource: 'chat', operation: 'get', ...parameters }, credential: credentialFor(sb), method: 'searchChats', filter, paginationToken });

	it('lists recent chats newest first from the v1 chat list, labelled with visitor, question and time; the value is the chat id', async () => {
		const first = await search();
		expect(apiRequests(sb).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/${sb.screenName}/chats`]);
		expect(first.results.map((r) => r.value)).toEqual(sb.dataset.chats.slice(0, 100).map((c) => c.chat_id));
		const chat = sb.dataset.chats[0];
		expect(first.results[0].name).toContain(chat.visitor_name);
		expect(first.results[0].name).toContain(chat.question.slice(0, 20));
		expect(first.results[0].name).toMatch(/\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}\)$/);
		expect(first.paginationToken).toEqual(expect.any(String));
	});

	it('pages through every chat with its token, losing and repeating none', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		for (let i = 0; i < 20; i++) {
			const page = await search(undefined, token);
			seen.push(...page.results.map((r) => r.value as string));
			token = page.paginationToken;
			if (!token) break;
		}
		expect(token).toBeUndefined();
		expect(seen).toEqual(sb.dataset.chats.map((c) => c.chat_id));
	});

	it('filters by visitor name, email, question or chat id', async () => {
		const chat = sb.dataset.chats[7];
		const byName = await search(chat.visitor_name.toUpperCase());
		expect(byName.results.map((r) => r.value)).toContain(chat.chat_id);
		const expected = sb.dataset.chats.slice(0, 500).filter((c) => `${c.visitor_name}|${c.visitor_email ?? ''}|${c.question}|${c.chat_id}`.toLowerCase().includes('password'));
		const byQuestion = await search('password');
		expect(byQuestion.results.map((r) => r.value)).toEqual(expected.slice(0, byQuestion.results.length).map((c) => c.chat_id));
		expect(byQuestion.results.length).toBeGreaterThan(0);
		expect((await search(chat.chat_id)).results.map((r) => r.value)).toContain(chat.chat_id);
	});

	it('lists the portal of the node’s Portal option', async () => {
		await search(undefined, undefined, { options: { screenName: 'otherportal' } }).catch(() => undefined);
		expect(apiRequests(sb).map((r) => r.path)).toEqual(['/api/v1/otherportal/chats']);
	});
});
