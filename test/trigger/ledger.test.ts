import type { Sandbox } from '../sandbox';
import type { TriggerHarness } from '../harness/webhook';
import { DELIVERY_MEMORY } from '../../nodes/ZohoSalesIq/trigger/dedup';
import { claimInProcess, keyOfItem } from '../../nodes/ZohoSalesIq/trigger/ledger';
import { EVENT_TIME, sandboxFor, triggerFor, triggerParameters } from './setup';

describe('Zoho SalesIQ Trigger: delivery ledger', () => {
	describe('process memory', () => {
		it('lets the first claim of a key through and refuses every later one, per trigger', () => {
			expect(claimInProcess('wf-1:url-a', 'k1')).toBe(true);
			expect(claimInProcess('wf-1:url-a', 'k1')).toBe(false);
			expect(claimInProcess('wf-1:url-b', 'k1')).toBe(true);
			expect(claimInProcess('wf-1:url-a', 'k2')).toBe(true);
		});

		it(`keeps the newest ${DELIVERY_MEMORY} keys of a trigger`, () => {
			for (let i = 0; i <= DELIVERY_MEMORY; i++) expect(claimInProcess('wf-2:url', `key-${i}`)).toBe(true);
			expect(claimInProcess('wf-2:url', `key-${DELIVERY_MEMORY}`)).toBe(false);
			// The oldest was forgotten to make room.
			expect(claimInProcess('wf-2:url', 'key-0')).toBe(true);
		});
	});

	describe('the key inside the execution', () => {
		let sandbox: Sandbox;
		let trigger: TriggerHarness;

		beforeEach(async () => {
			sandbox = await sandboxFor();
			trigger = await triggerFor(sandbox);
			await trigger.activate();
		});
		afterEach(async () => {
			await trigger.stop();
			await sandbox.stop();
		});

		it.each([true, false])('is the key the webhook recorded, read back from the emitted item (Simplify %s)', async (simplify) => {
			await trigger.stop();
			trigger = await triggerFor(sandbox, triggerParameters({ options: { simplify } }));
			await trigger.activate();
			await sandbox.deliverEvent({ event: 'conversation.completed', eventTime: EVENT_TIME });
			const [item] = trigger.emitted();
			expect(trigger.staticData().recentDeliveries).toEqual([keyOfItem(item.json)]);
		});

		it('differs for another event time, another event and another webhook', () => {
			const base = { event: 'conversation.completed', event_time: EVENT_TIME, entity_id: '1', webhook_id: 'w1' };
			const keys = [base, { ...base, event_time: EVENT_TIME + 1 }, { ...base, event: 'conversation.rated' }, { ...base, webhook_id: 'w2' }].map(keyOfItem);
			expect(new Set(keys).size).toBe(4);
			expect(keyOfItem({ ...base, attempt: 3 })).toBe(keys[0]);
			expect(keyOfItem({ entity_id: '1' })).toBeUndefined();
		});
	});
});
