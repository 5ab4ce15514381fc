import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { toMs } from '../shared/values';


/** The events of the Poll Trigger, as they appear in each output item's `event`. */
export const POLL_EVENTS = ['chatStarted', 'chatEnded', 'chatMissed'] as const;

export type PollEvent = (typeof POLL_EVENTS)[number];

export const POLL_EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Chat Ended', value: 'chatEnded', description: 'An answered chat ends (it now has an end time)' },
	{ name: 'Chat Missed', value: 'chatMissed', description: 'A chat ends without an operator picking it up' },
	{ name: 'Chat Started', value: 'chatStarted', description: 'A visitor starts a chat' },
];

export function isPollEvent(value: unknown): value is PollEvent {
	return typeof value === 'string' && (POLL_EVENTS as readonly string[]).includes(value);
}

/** Where a chat of the v1 list stands: still open, ended after an answer, or missed. */
export type ChatOutcome = { kind: 'open' } | { kind: 'ended' | 'missed'; time: number };

export function outcomeOf(chat: IDataObject): ChatOutcome {
	const end = toMs(chat.end_time);
	if (end !== undefined) return { kind: 'ended', time: end };
	const missed = toMs(chat.missed_time);
	if (missed !== undefined) return { kind: 'missed', time: missed };
	return { kind: 'open' };
}

/** The event an outcome fires. */
export function eventOfOutcome(kind: 'ended' | 'missed'): PollEvent {
	return kind === 'ended' ? 'chatEnded' : 'chatMissed';
}
