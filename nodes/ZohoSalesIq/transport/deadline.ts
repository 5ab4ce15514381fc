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

/**
 * Waits for `work`, but no longer than `ms`. When the deadline passes first, `onLate` gets what
 * `work` brings later (for example a response whose connection must be closed).
 */
export async function withDeadline<T>(
	work: Promise<T>,
	ms: number,
	onLate?: (value: T) => void,
): Promise<T | typeof PAST_DEADLINE> {
	const signal = AbortSignal.timeout(Math.min(Math.max(ms, 1), MAX_TIMER_MS));
	let onAbort = () => {};
	let late = false;
	const expired = new Promise<typeof PAST_DEADLINE>((resolve) => {
		onAbort = () => {
			late = true;
			resolve(PAST_DEADLINE);
		};
		signal.addEventListener('abort', onAbort, { once: true });
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
		signal.removeEventListener('abort', onAbort);
	}
}
