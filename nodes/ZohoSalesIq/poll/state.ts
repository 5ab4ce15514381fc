import type { IDataObject } from 'n8n-workflow';

/**
 * The Poll Trigger's place in the chat list, kept in the workflow's static data (per node). It is
 * small and bounded: two edges with the ids of the chats at their millisecond, and the open chats
 * the trigger still watches for their end (at most MAX_OPEN_CHATS).
 */

/** Every chat started before `time`, and the chats at `time` with these ids. */
export interface Edge {
	time: number;
	ids: string[];
}

/** A walk down the list that ran out of page budget; the next poll carries it on. */
export interface PendingWalk {
	/** The walk reads chats started at or after this time. */
	floor: number;
	/** The newest chats of the walk: the new `done` once the walk reaches its floor. */
	top: Edge;
	/** The walk has handled every chat above `at.time` and those at it with `at.ids`. */
	at: Edge;
}

export interface PollState {
	version: 1;
	/** The Start From (ms) this position was made for; null when it started at activation. */
	origin: number | null;
	/** Chats at or behind this edge have had their Chat Started turn. */
	done: Edge;
	walk?: PendingWalk;
	/** Chats seen open, as [chat_id, start ms], oldest first: watched until they end or their look-back passes. */
	open: Array<[string, number]>;
}

/** The open chats the trigger watches at most; past this the oldest are let go (docs: README, Look-Back). */
export const MAX_OPEN_CHATS = 1000;

const KEY = 'chatListPosition';

function isEdge(value: unknown): value is Edge {
	const edge = value as Edge;
	return (
		typeof edge === 'object' &&
		edge !== null &&
		Number.isFinite(edge.time) &&
		Array.isArray(edge.ids) &&
		edge.ids.every((id) => typeof id === 'string')
	);
}

function isState(value: unknown): value is PollState {
	const state = value as PollState;
	if (typeof state !== 'object' || state === null || state.version !== 1) return false;
	if (state.origin !== null && !Number.isFinite(state.origin)) return false;
	if (!isEdge(state.done) || !Array.isArray(state.open)) return false;
	if (!state.open.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && Number.isFinite(entry[1]))) return false;
	if (state.walk === undefined) return true;
	return Number.isFinite(state.walk.floor) && isEdge(state.walk.top) && isEdge(state.walk.at);
}

/** The stored position, or undefined when there is none (or it is not one this node wrote). */
export function readState(staticData: IDataObject): PollState | undefined {
	const stored = staticData[KEY];
	return isState(stored) ? stored : undefined;
}

/** Stores the position; n8n persists static data after a poll that starts an execution, and at activation. */
export function writeState(staticData: IDataObject, state: PollState): void {
	staticData[KEY] = state as unknown as IDataObject;
}
