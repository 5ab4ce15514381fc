/**
 * Bot > Build Reply (no request), Send Reply and Send Progress (the callbacks API of a pending
 * request): the JSON built from the fields, the requests sent, and the refusals before any request.
 */
import type { INodeParameters } from 'n8n-workflow';

import { credentialFor, PACKAGE, runNode } from '../../harness';
import { startTrigger, type TriggerHarness } from '../../harness/webhook';
import type { Sandbox } from '../../sandbox';
import { grant } from '../../sandbox/helpers';
import { apiRequests, smallSandbox } from '../helpers';

let sb: Sandbox;
let trigger: TriggerHarness;

beforeAll(async () => {
	sb = await smallSandbox({ chats: 10, visitors: 10 });
	trigger = await startTrigger({
		nodeType: `${PACKAGE}.zohoSalesIqBotTrigger`,
		parameters: { handlers: ['message'], responseMode: 'pending', waitingText: 'One moment' } as INodeParameters,
		credential: credentialFor(sb),
	});
	await trigger.activate();
});
afterAll(async () => {
	await trigger.stop();
	await sb.stop();
});
beforeEach(() => sb.clearRequests());

const build = (parameters: Record<string, unknown>) =>
	runNode({ parameters: { resource: 'bot', operation: 'buildReply', ...parameters } as INodeParameters, credential: credentialFor(sb) });

/** A pending request as SalesIQ makes it, and the trigger item it produced. */
async function pendingRequest() {
	const exchange = await sb.bots.play({ url: trigger.webhookUrl(), text: 'Where is my order?' });
	expect(exchange.action).toBe('pending');
	return { exchange, item: trigger.emitted().at(-1)!.json };
}

describe('Bot > Build Reply', () => {
	it('builds a reply with more replies and suggestions, and sends nothing', async () => {
		const result = await build({
			botAction: 'reply',
			text: 'Our plans start at $10 a month.',
			moreReplies: { reply: [{ text: 'The Pro plan', imageUrl: 'https://example.com/pro.png' }, { text: 'Anything else?', imageUrl: '' }] },
			suggestions: ['Pricing', 'Talk to a human'],
		});
		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([
			{
				action: 'reply',
				replies: ['Our plans start at $10 a month.', { text: 'The Pro plan', image: 'https://example.com/pro.png' }, 'Anything else?'],
				suggestions: ['Pricing', 'Talk to a human'],
			},
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(sb.requests()).toEqual([]);
	});

	it('takes suggestions from an expression, as a list or a comma-separated text', async () => {
		const list = await build({ botAction: 'reply', text: 'Hi', suggestions: '={{ ["A", "B"] }}' });
		const text = await build({ botAction: 'reply', text: 'Hi', suggestions: '={{ "A, B" }}' });
		expect(list.json[0].suggestions).toEqual(['A', 'B']);
		expect(text.json[0].suggestions).toEqual(['A', 'B']);
	});

	it('forwards to a department or to operators', async () => {
		const department = await build({ botAction: 'forward', text: 'Connecting you', department: '3465000000005' });
		expect(department.json).toEqual([{ action: 'forward', replies: ['Connecting you'], department: '3465000000005' }]);
		const operators = await build({ botAction: 'forward', operators: 'scott@example.com, maria@example.com' });
		expect(operators.json).toEqual([{ action: 'forward', replies: [], operators: ['scott@example.com', 'maria@example.com'] }]);
	});

	it('ends now, or after a delay written both ways Zoho documents it', async () => {
		expect((await build({ botAction: 'end', text: 'Bye!', endDelay: 0 })).json).toEqual([{ action: 'end', replies: ['Bye!'] }]);
		expect((await build({ botAction: 'end', text: 'Bye!', endDelay: 60 })).json).toEqual([
			{ action: 'end', replies: ['Bye!'], delay: '60', delay_config: { enabled: true, time: 60 } },
		]);
	});

	it.each([
		[{ botAction: 'reply', text: '  ' }, 'Reply Text is required for the Reply action'],
		[{ botAction: '={{ "dance" }}', text: 'x' }, 'Action "dance" is not supported'],
		[{ botAction: 'reply', text: 'x', suggestions: Array.from({ length: 14 }, (_, i) => `S${i}`) }, 'Suggestions: 14 is too many (at most 13)'],
		[{ botAction: 'reply', text: 'x', suggestions: ['A', ' '] }, 'Suggestions: suggestion 2 is empty'],
		[{ botAction: 'reply', text: 'x', moreReplies: { reply: [{ text: '', imageUrl: '' }] } }, 'More Replies: reply 1 is empty'],
		[{ botAction: 'reply', text: 'x', moreReplies: { reply: [{ text: 'a', imageUrl: 'javascript:alert(1)' }] } }, 'More Replies: the image URL of reply 1 is not an http(s) URL'],
		[{ botAction: 'forward', department: '12', operators: 'a@example.com' }, 'Set either Department ID or Operators, not both'],
		[{ botAction: 'forward', operators: 'not-an-email' }, 'Operators "not-an-email" is not a valid email address'],
		[{ botAction: 'forward', department: '12/../x' }, 'Department ID "12/../x" is not a valid ID'],
		[{ botAction: 'end', endDelay: 29 }, 'End After (Seconds) must be 0 or 30 to 10800'],
		[{ botAction: 'end', endDelay: 10801 }, 'End After (Seconds) must be 0 or 30 to 10800'],
	])('refuses %j', async (parameters, message) => {
		const result = await build(parameters);
		expect(result.error?.message).toBe(message);
	});
});

describe('Bot > Send Reply and Send Progress', () => {
	it('delivers progress and the reply of a pending request through the callbacks API', async () => {
		const { exchange, item } = await pendingRequest();
		const credential = credentialFor(sb);
		const progress = await runNode({
			parameters: { resource: 'bot', operation: 'sendProgress', requestId: '={{ $json.requestId }}', text: 'Checking…' },
			credential,
			input: [item],
		});
		expect(progress.json).toEqual([{ success: true, requestId: exchange.requestId, text: 'Checking…', result: expect.anything() }]);
		const reply = await runNode({
			parameters: { resource: 'bot', operation: 'sendReply', requestId: '={{ $json.requestId }}', botAction: 'reply', text: 'It ships today.' },
			credential,
			input: [item],
		});
		expect(reply.error).toBeUndefined();
		expect(reply.json[0]).toEqual(expect.objectContaining({ success: true, requestId: exchange.requestId, response: { action: 'reply', replies: ['It ships today.'] } }));

		const [first, second] = apiRequests(sb);
		expect([first.method, first.path, JSON.parse(first.body)]).toEqual(['POST', `/api/v2/${sb.screenName}/callbacks/${exchange.requestId}/progress`, { text: 'Checking…' }]);
		expect([second.method, second.path, JSON.parse(second.body)]).toEqual([
			'POST',
			`/api/v2/${sb.screenName}/callbacks/${exchange.requestId}/response`,
			{ action: 'reply', replies: ['It ships today.'] },
		]);
		expect(second.headers['content-type']).toMatch(/^application\/json/);
		const recorded = sb.bots.callbacks().filter((c) => c.requestId === exchange.requestId);
		expect(recorded.map((c) => [c.kind, c.status])).toEqual([
			['progress', 200],
			['response', 200],
		]);
	});

	it('forwards and ends through the callback as valid actions', async () => {
		for (const parameters of [
			{ botAction: 'forward', text: 'A human will take over', department: sb.dataset.departments[0].id },
			{ botAction: 'end', text: 'Bye', endDelay: 120 },
		]) {
			const { exchange, item } = await pendingRequest();
			const result = await runNode({
				parameters: { resource: 'bot', operation: 'sendReply', requestId: '={{ $json.requestId }}', ...parameters } as INodeParameters,
				credential: credentialFor(sb),
				input: [item],
			});
			expect(result.error).toBeUndefined();
			const call = sb.bots.callbacks().find((c) => c.requestId === exchange.requestId)!;
			expect(call).toEqual(expect.objectContaining({ kind: 'response', status: 200, action: parameters.botAction }));
			if (parameters.botAction === 'end') expect(call.endDelay).toEqual({ delay: 120, delayConfig: 120 });
		}
	});

	it('reports SalesIQ refusing a second reply as an API error, and refuses a bad request id before any request', async () => {
		const { item } = await pendingRequest();
		const parameters = { resource: 'bot', operation: 'sendReply', requestId: '={{ $json.requestId }}', botAction: 'reply', text: 'Once' };
		await runNode({ parameters, credential: credentialFor(sb), input: [item] });
		const again = await runNode({ parameters, credential: credentialFor(sb), input: [item] });
		expect(again.error?.message).toMatch(/1019|Invalid Resource/);

		sb.clearRequests();
		const bad = await runNode({ parameters: { ...parameters, requestId: 'a/b' }, credential: credentialFor(sb) });
		expect(bad.error?.message).toBe('Request ID "a/b" is not a valid ID');
		expect(sb.requests()).toEqual([]);
	});

	it('names the missing scope when the connection lacks SalesIQ.callbacks.UPDATE', async () => {
		const { item } = await pendingRequest();
		const narrow = await grant(sb, 'SalesIQ.chatdetails.READ');
		const result = await runNode({
			parameters: { resource: 'bot', operation: 'sendProgress', requestId: '={{ $json.requestId }}', text: 'x' },
			credential: credentialFor(sb, { oauthTokenData: { access_token: narrow.access_token, refresh_token: narrow.refresh_token, token_type: 'Bearer', expires_in: 3600 } }),
			input: [item],
		});
		expect(`${result.error?.message} ${result.error?.description}`).toContain('SalesIQ.callbacks.UPDATE');
	});
});
