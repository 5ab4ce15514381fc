/**
 * Chats that change while the sandbox runs: they open waiting for an operator, may be picked up,
 * and end either answered (with `end_time`) or missed (with `missed_time`). The v1 chat list and
 * chat info show each chat as it is at the moment of the request.
 */
import type { ChatRecord, Dataset, Operator, V1Chat } from './data';
import type { Reply } from './http';
import { json } from './http';

export interface OpenChatsOptions {
	/** `chatinitiated_time` of the first chat; default: the sandbox clock's now. */
	atTime?: number;
	/** Milliseconds between consecutive chats; default 0 (one shared millisecond). */
	spacingMs?: number;
}

export interface EndChatsOptions {
	/** `answered` (default) sets `end_time`; `missed` sets `missed_time`. */
	outcome?: 'answered' | 'missed';
	/** The end time; default: the sandbox clock's now. */
	atTime?: number;
}

const OUTCOME_FIELDS = ['attender_id', 'attender_name', 'attender_email', 'pickup_time', 'end_time', 'missed_time', 'chat_duration'] as const;

export class LiveChats {
	/** Chats opened here that have not ended yet. */
	private readonly open = new Set<string>();

	constructor(
		private readonly dataset: Dataset,
		private readonly now: () => number,
	) {}

	/** Adds `count` chats waiting for an operator: no attender, pickup, end or missed time, no transcript yet. */
	openChats(count: number, options: OpenChatsOptions = {}): V1Chat[] {
		const chats = this.dataset.addChats(count, { atTime: options.atTime ?? this.now(), spacingMs: options.spacingMs });
		for (const chat of chats) {
			const record = this.record(chat.chat_id);
			for (const field of OUTCOME_FIELDS) delete chat[field];
			chat.participants = [];
			chat.waited_duration = '0';
			// Until it is answered the chat has no transcript (2032) and no attachments (2042), like a missed one.
			record.missed = true;
			record.attachmentCount = 0;
			record.json = undefined;
			this.open.add(chat.chat_id);
		}
		return chats;
	}

	/** An operator picks up waiting chats: attender and `pickup_time`, still without `end_time`. */
	pickUp(chatIds: string[], atTime?: number): V1Chat[] {
		return chatIds.map((id) => {
			const record = this.openRecord(id);
			if (record.chat.pickup_time === undefined) this.attend(record, this.timeAfterStart(record, atTime));
			return record.chat;
		});
	}

	/** Ends open chats, answered or missed. */
	endChats(chatIds: string[], options: EndChatsOptions = {}): V1Chat[] {
		const outcome = options.outcome ?? 'answered';
		if (outcome !== 'answered' && outcome !== 'missed') throw new Error('outcome must be "answered" or "missed"');
		const records = chatIds.map((id) => this.openRecord(id));
		for (const record of records) {
			const end = this.timeAfterStart(record, options.atTime);
			const chat = record.chat;
			if (outcome === 'missed') {
				if (chat.pickup_time !== undefined) throw new Error(`chat ${chat.chat_id} was picked up; it can only end answered`);
				chat.missed_time = String(end);
				chat.waited_duration = String(end - record.time);
			} else {
				if (chat.pickup_time === undefined) this.attend(record, record.time + Math.max(1, Math.floor((end - record.time) / 2)));
				chat.end_time = String(end);
				chat.chat_duration = String(end - Number(chat.pickup_time));
				record.missed = false;
				record.messageCount = Math.max(record.messageCount, 4);
			}
			record.json = undefined;
			this.open.delete(chat.chat_id);
		}
		return records.map((record) => record.chat);
	}

	private attend(record: ChatRecord, pickup: number): void {
		const chat = record.chat;
		const operator = record.operator ?? this.operatorFor(chat.department_id);
		record.operator = operator;
		chat.attender_id = operator.id;
		chat.attender_name = operator.name;
		chat.attender_email = operator.email;
		chat.participants = [operator.wms_id];
		chat.pickup_time = String(pickup);
		chat.waited_duration = String(pickup - record.time);
		record.json = undefined;
	}

	private operatorFor(departmentId: string): Operator {
		return this.dataset.operators.find((op) => op.department_ids.includes(departmentId)) ?? this.dataset.operators[0];
	}

	/** The given time, or now; never at or before the chat's start or pickup. */
	private timeAfterStart(record: ChatRecord, atTime: number | undefined): number {
		const time = atTime ?? this.now();
		const earliest = Math.max(record.time, Number(record.chat.pickup_time ?? record.time)) + 1;
		if (time < earliest) throw new Error(`chat ${record.chat.chat_id} cannot change before ${earliest}`);
		return time;
	}

	private record(chatId: string): ChatRecord {
		const record = this.dataset.chatRecord(chatId);
		if (!record) throw new Error(`no chat ${chatId}`);
		return record;
	}

	private openRecord(chatId: string): ChatRecord {
		if (typeof chatId !== 'string' || !this.open.has(chatId)) throw new Error(`chat ${String(chatId)} is not an open chat of the sandbox`);
		return this.record(chatId);
	}
}

function optionalTime(input: Record<string, unknown>, name: string): number | undefined {
	const value = input[name];
	if (value === undefined) return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer >= 0`);
	return value;
}

function chatIds(input: Record<string, unknown>): string[] {
	const ids = input.chatIds;
	if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
		throw new Error('chatIds must be a non-empty array of chat ids');
	}
	return ids as string[];
}

/** `/__sandbox/chats/...` control routes; `key` is `METHOD /chats/...`. */
export function liveChatControl(live: LiveChats, key: string, input: Record<string, unknown>): Reply | undefined {
	switch (key) {
		case 'POST /chats/open': {
			const count = optionalTime(input, 'count') ?? 1;
			return json(200, { chats: live.openChats(count, { atTime: optionalTime(input, 'atTime'), spacingMs: optionalTime(input, 'spacingMs') }) });
		}
		case 'POST /chats/pick-up':
			return json(200, { chats: live.pickUp(chatIds(input), optionalTime(input, 'atTime')) });
		case 'POST /chats/end': {
			const outcome = input.outcome as EndChatsOptions['outcome'];
			return json(200, { chats: live.endChats(chatIds(input), { outcome, atTime: optionalTime(input, 'atTime') }) });
		}
		default:
			return undefined;
	}
}
