import { sleep } from 'n8n-workflow';

import { deadlineIn, PAST_DEADLINE, withDeadline } from '../../../nodes/ZohoSalesIq/transport/deadline';

/**
 * Deadlines started close together share one timer. What must hold whatever the sharing: a
 * deadline never passes before its time, it passes once its time (and its slot) is over, and a
 * watcher that stops watching is never called.
 */
describe('deadlines', () => {
	it('requests started together share a deadline of the same length', () => {
		const made = Array.from({ length: 20 }, () => deadlineIn(30_000));
		// The 20 calls take well under a slot of 50 ms, so they fall into at most two slots.
		expect(new Set(made).size).toBeLessThanOrEqual(2);
		expect(made.every((d) => !d.passed)).toBe(true);
	});

	it('does not pass early, and passes after its time', async () => {
		const deadline = deadlineIn(200);
		const calls: string[] = [];
		deadline.watch(() => calls.push('watched'));
		const stopped = deadline.watch(() => calls.push('stopped'));
		stopped();
		await sleep(100);
		expect(deadline.passed).toBe(false);
		expect(calls).toEqual([]);
		// 200 ms, plus at most a slot of 200 / 20 = 10 ms, plus slack for a loaded machine.
		await sleep(400);
		expect(deadline.passed).toBe(true);
		expect(calls).toEqual(['watched']);
		// A watcher that comes later is called at once.
		deadline.watch(() => calls.push('late'));
		expect(calls).toEqual(['watched', 'late']);
	});

	it('withDeadline gives the work when it comes first, and PAST_DEADLINE with the late value handed over otherwise', async () => {
		await expect(withDeadline(Promise.resolve('done'), 1_000)).resolves.toBe('done');
		const late: string[] = [];
		const slow = sleep(300).then(() => 'late answer');
		await expect(withDeadline(slow, deadlineIn(20), (value) => late.push(value))).resolves.toBe(PAST_DEADLINE);
		await slow;
		expect(late).toEqual(['late answer']);
	});
});
