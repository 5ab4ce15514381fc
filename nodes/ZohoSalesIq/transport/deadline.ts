/**
 * Deadlines: how long one response, one token refresh or one download may take. Every wait the
 * transport puts a limit on goes through here, so that the limit holds whatever the other side does.
 */

/** Timers take at most 2^31 - 1 ms; a larger value would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The Timeout option's bounds, in ms: at least 1 ms, at most 10 minutes for one response. */
export const MIN_TIMEOUT_MS = 1;
export const MAX_TIMEOUT_MS = 600_000;

export const PAST_DEADLINE = Symbol('past deadline');

/** The longest a deadline may fire late, so that requests started close together share one timer. */
const MAX_SLOT_MS = 50;
/** A deadline may fire late by at most this share of its length (1/20: 25 ms for 500 ms). */
const SLOT_SHARE = 20;

/** A point in time that work can watch for. */
export interface Deadline {
	/** Whether the time has come. */
	readonly passed: boolean;
	/** Calls `onPassed` once when the time comes; the function returned stops watching. */
	watch(onPassed: () => void): () => void;
}

/**
 * One timer for every deadline that falls in the same slot. A fast network answers a request in
 * well under a millisecond of the node's own work, and a timer per request would cost more than
 * that work, so requests started close together share one: each deadline is rounded up to the end
 * of its slot, and fires at most MAX_SLOT_MS (or 1/SLOT_SHARE of its length) late, never early.
 */
class SlotDeadline implements Deadline {
	passed = false;
	private readonly watchers = new Set<() => void>();
	/** Held so that the timer lives as long as the slot does. */
	private readonly signal: AbortSignal;

	constructor(ms: number, onPassed: () => void) {
		this.signal = AbortSignal.timeout(ms);
		this.signal.addEventListener(
			'abort',
			() => {
				this.passed = true;
				onPassed();
				for (const watcher of this.watchers) watcher();
				this.watchers.clear();
			},
			{ once: true },
		);
	}

	watch(onPassed: () => void): () => void {
		if (this.passed) {
			onPassed();
			return () => {};
		}
		this.watchers.add(onPassed);
		return () => this.watchers.delete(onPassed);
	}
}

/** The slots whose timers have not fired yet, by the epoch ms at which they fire. */
const slots = new Map<number, SlotDeadline>();

/**
 * The deadline `ms` from now (clamped to 1 ms .. the largest timer). One request makes one, and
 * both the wait for its answer and the read of its body (body.ts) end with it, so the whole
 * response shares one deadline.
 */
export function deadlineIn(ms: number): Deadline {
	const length = Math.min(Math.max(ms, 1), MAX_TIMER_MS);
	const slotMs = Math.min(MAX_SLOT_MS, Math.floor(length / SLOT_SHARE));
	if (slotMs < 1) return new SlotDeadline(length, () => {});
	const now = Date.now();
	const due = Math.ceil((now + length) / slotMs) * slotMs;
	let slot = slots.get(due);
	if (!slot) {
		slot = new SlotDeadline(Math.min(due - now, MAX_TIMER_MS), () => slots.delete(due));
		slots.set(due, slot);
	}
	return slot;
}

/**
 * Waits for `work`, but no longer than `deadline` (ms from now, or a Deadline). When the deadline
 * passes first, `onLate` gets what `work` brings later (for example a response whose connection
 * must be closed).
 */
export async function withDeadline<T>(
	work: Promise<T>,
	deadline: number | Deadline,
	onLate?: (value: T) => void,
): Promise<T | typeof PAST_DEADLINE> {
	const until = typeof deadline === 'number' ? deadlineIn(deadline) : deadline;
	let stopWatching = () => {};
	let late = false;
	const expired = new Promise<typeof PAST_DEADLINE>((resolve) => {
		stopWatching = until.watch(() => {
			late = true;
			resolve(PAST_DEADLINE);
		});
	});
	work.then(
		(value) => {
			if (late) onLate?.(value);
		},
		() => undefined,
	);
	try {
		return await Promise.race([work, expired]);
	} finally {
		stopWatching();
	}
}
