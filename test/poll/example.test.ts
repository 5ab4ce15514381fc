import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { keys, pollHarness, pollSandbox } from './support';

const workflow = JSON.parse(readFileSync(join(__dirname, '../../examples/new-missed-chats-to-email.json'), 'utf8'));
const trigger = workflow.nodes.find((node: { type: string }) => node.type === 'n8n-nodes-zoho-salesiq.zohoSalesIqPollTrigger');

describe('example "New missed chats to email"', () => {
	test('its Poll Trigger reports each newly missed chat once, with the fields the notification text uses', async () => {
		expect(trigger.credentials.zohoSalesIqOAuth2Api.name).toBe('Zoho SalesIQ (sandbox)');
		expect(workflow.connections[trigger.name].main[0][0].node).toBe('Notification text');
		const text = JSON.stringify(workflow.nodes.find((node: { name: string }) => node.name === 'Notification text').parameters);
		const sandbox = await pollSandbox();
		try {
			const harness = pollHarness(sandbox, trigger.parameters);
			await harness.activate();
			const [missed, answered] = sandbox.live.openChats(2, { spacingMs: 1 });
			sandbox.advanceTime(120_000);
			sandbox.live.endChats([missed.chat_id], { outcome: 'missed' });
			sandbox.live.endChats([answered.chat_id]);
			const outcome = await harness.poll();
			expect(keys(outcome.items)).toEqual([`${missed.chat_id}:chatMissed`]);
			for (const field of text.match(/\$json\.([a-z_]+)/g) ?? []) {
				const name = field.slice('$json.'.length);
				if (name !== 'visitor_email') expect(outcome.items?.[0]).toHaveProperty(name);
			}
			expect(await harness.poll()).toEqual({});
		} finally {
			await sandbox.stop();
		}
	});
});
