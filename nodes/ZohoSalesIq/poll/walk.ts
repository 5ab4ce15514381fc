import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { chatPages, pageBudget } from '../actions/chat/list';
import type { PollConfig } from './config';
import { eventOfOutcome, outcomeOf, type PollEvent } from './events';
import { MAX_OPEN_CHATS, type Edge, type PendingWalk, type PollState } from './state';
import { toMs } from '../shared/values';

/**
 * One poll: a walk down the v1 chat list (newest first) from the newest chat to the walk's floor,
 * which is the `done` edge or the start of the oldest open chat, whichever is older.
 *
 * - A chat above `done` is new: Chat Started, and Chat Ended or Chat Missed if it is already over;
 *   otherwise it is watched as open.
 * - A watched open chat met again fires Chat Ended or Chat Missed once it is over.
 * - Chats at an edge millisecond are told apart by id, so ties are neither lost nor repeated.
 *
 * A walk takes at most Page Budget requests. When the budget is spent before the floor, the walk's
 * place is stored and the next poll carries it on from there; `done` moves only when a walk ends.
 * A poll with nothing new and no open chats is one request.
 */

interface Found {
	item: INodeExecutionData;
	/** When the event happened; ties go by the chat's start. */
	time: number;
	start: number;
	order: number;
}

export interface PollResult {
	items: INodeExecutionData[];
	state: PollState;
}

function extend(edge: Edge | undefined, time: number, id: string): Edge {
	return edge && edge.time === time ? { time, ids: [...edge.ids, id] } : { time, ids: [id] };
}

/** The start of a new walk: `done`, or the oldest open chat if it started earlier. */
function newWalkFloor(state: PollState): number {
	return state.open.reduce((floor, [, start]) => Math.min(floor, start), state.done.time);
}

/** The edge a finished walk leaves behind. */
function advance(done: Edge, top: Edge | undefined): Edge {
	if (!top || top.time < done.time) return done;
	if (top.time > done.time) return top;
	return { time: done.time, ids: [...new Set([...done.ids, ...top.ids])] };
}

export async function walkChatList(this: IPollFunctions, config: PollConfig, state: PollState, now: number): Promise<PollResult> {
	const found: Found[] = [];
	const emit = (chat: IDataObject, event: PollEvent, time: number) => {
		if (!config.events.has(event) || !config.matches(chat)) return;
		found.push({ item: { json: { ...chat, event } }, time, start: toMs(chat.chatinitiated_time) as number, order: found.length });
	};
	const open = new Map(state.open);
	const doneIds = new Set(state.done.ids);
	const pending = state.walk;
	const floor = pending?.floor ?? newWalkFloor(state);
	const skipAt = new Set(pending?.at.ids ?? []);
	let top = pending?.top;
	let at = pending?.at;

	const handle = (chat: IDataObject) => {
		const id = String(chat.chat_id);
		const start = toMs(chat.chatinitiated_time) as number;
		const outcome = outcomeOf(chat);
		const isNew = start > state.done.time || (start === state.done.time && !doneIds.has(id));
		if (isNew) {
			emit(chat, 'chatStarted', start);
			if (outcome.kind === 'open') {
				if (config.watchesOpenChats) open.set(id, start);
				return;
			}
		} else if (!open.has(id) || outcome.kind === 'open') {
			return;
		}
		open.delete(id);
		// An end after the chat's look-back window has passed is not reported.
		if (outcome.time - start <= config.lookBackMs) emit(chat, eventOfOutcome(outcome.kind), outcome.time);
	};

	const budget = pageBudget(config.pageBudget);
	const pages = chatPages.call(this, config.settings, { fromTime: floor, toTime: at?.time, budget });
	for await (const page of pages) {
		for (const chat of page) {
			const id = String(chat.chat_id);
			const start = toMs(chat.chatinitiated_time) as number;
			// A carried-on walk starts at its edge millisecond again: skip the chats it already handled.
			if (pending && start === pending.at.time && skipAt.has(id)) continue;
			top = top ?? { time: start, ids: [] };
			if (start === top.time && !top.ids.includes(id) && !pending) top = { time: start, ids: [...top.ids, id] };
			at = extend(at, start, id);
			handle(chat);
		}
	}
	const finished = !budget.spent;

	const next: PollState = { version: 1, origin: state.origin, done: state.done, open: [] };
	if (!finished && top && at) {
		next.walk = { floor, top, at } satisfies PendingWalk;
	} else {
		next.done = advance(state.done, top);
		// Chats whose look-back window has passed can no longer fire; stop watching them.
		const newest = Math.max(now, next.done.time);
		for (const [id, start] of open) if (start < newest - config.lookBackMs) open.delete(id);
	}
	next.open = [...open].sort((a, b) => a[1] - b[1]).slice(-MAX_OPEN_CHATS);

	found.sort((a, b) => a.time - b.time || a.start - b.start || a.order - b.order);
	return { items: found.map((f) => f.item), state: next };
}
