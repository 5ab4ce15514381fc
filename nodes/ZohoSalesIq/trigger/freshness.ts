/**
 * The replay window. A delivery's signature covers its body but carries no time of its own, so a
 * captured delivery stays valid for ever; only `event_time` (inside the signed body) says when the
 * event happened. Deliveries further from now than the Max Event Age option are refused. A
 * delivery without `event_time` cannot be judged and is accepted (the redelivery key still keeps
 * it from running twice).
 */

export const DEFAULT_MAX_EVENT_AGE_HOURS = 24;
const HOUR_MS = 3_600_000;

/** Why a delivery is outside the window, or undefined when it is inside (or cannot be judged). */
export function staleness(eventTime: number | undefined, maxAgeHours: unknown, now = Date.now()): string | undefined {
	const hours = maxAgeHours === undefined || maxAgeHours === null || maxAgeHours === '' ? DEFAULT_MAX_EVENT_AGE_HOURS : Number(maxAgeHours);
	if (eventTime === undefined || !Number.isFinite(hours) || hours <= 0) return undefined;
	const age = now - eventTime;
	if (Math.abs(age) <= hours * HOUR_MS) return undefined;
	return age > 0
		? `Stale delivery: its event_time is more than ${hours} hours old; ignored`
		: `Delivery from the future: its event_time is more than ${hours} hours ahead; ignored`;
}
