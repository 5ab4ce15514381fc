import { credentialFor, credentialTypes, HarnessCredentialsHelper, runNode } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { smallSandbox, tokenRequests } from '../helpers';

/**
 * Executions that run at the same time in one n8n process (one worker in queue mode, or a busy
 * main process) and meet the same expired token wait for one renewal: each succeeds, and the
 * renewal budget is spent once, not once per execution.
 */
describe('executions at the same time after the token expired', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await smallSandbox()));
	afterAll(async () => await sb.stop());

	it('five executions share one renewal, and every one of them succeeds', async () => {
		const store = new HarnessCredentialsHelper(credentialTypes);
		const credential = credentialFor(sb);
		sb.expireAccessTokens();
		sb.clearRequests();
		const chat = sb.dataset.chats[0];
		const results = await Promise.all(
			Array.from({ length: 5 }, () =>
				runNode({ parameters: { resource: 'chat', operation: 'get', chatId: chat.chat_id }, credential, credentialsHelper: store }),
			),
		);
		for (const result of results) {
			expect(result.error).toBeUndefined();
			expect(result.json).toEqual([chat]);
		}
		expect(tokenRequests(sb)).toHaveLength(1);
	});
});
