/**
 * The v2 view of the dataset's chats: each chat is also a conversation with a long id, and its
 * transcript is also a list of v2 messages. Nothing is stored twice; both views are derived from
 * the same chat record, so `reference_id` is always the v1 `chat_id`.
 */
import type { ChatRecord, Dataset, Operator, TranscriptEntry } from './data';
import { mix, Random } from './random';

/** The first five digits of every long id of the portal (conversations, visitors). */
function prefixOf(dataset: Dataset): string {
	return dataset.portal.id.slice(0, 5);
}

/** A chat's conversation id: 14 digits, like the `entity.id` of a webhook delivery. */
export function conversationIdOf(dataset: Dataset, record: ChatRecord): string {
	return `${prefixOf(dataset)}${String(record.num).padStart(9, '0')}`;
}

/** The id of a chat's visitor in v2 objects and webhook entities. */
export function conversationVisitorIdOf(dataset: Dataset, record: ChatRecord): string {
	return `${prefixOf(dataset)}${String(record.visitor ? Number(record.visitor.id) : record.num).padStart(9, '0')}`;
}

/** The chat record behind a conversation id, or undefined. */
export function recordOfConversation(dataset: Dataset, conversationId: string): ChatRecord | undefined {
	const prefix = prefixOf(dataset);
	if (!/^\d{14}$/.test(conversationId) || !conversationId.startsWith(prefix)) return undefined;
	return dataset.chatRecord(String(Number(conversationId.slice(prefix.length))));
}

/** The conversation id of a v1 chat id, for tests and the control routes. */
export function conversationIdForChat(dataset: Dataset, chatId: string): string | undefined {
	const record = dataset.chatRecord(chatId);
	return record && conversationIdOf(dataset, record);
}

function person(operator: Operator): Record<string, unknown> {
	return { id: operator.id, name: operator.name, email: operator.email, is_bot: false };
}

/** A v2 message: `{id, sequence_id, sender{id,name}, type, message, time}`. */
export interface V2Message {
	id: string;
	sequence_id: string;
	sender: { id: string; name: string };
	type: 'text' | 'file';
	message: Record<string, unknown>;
	time: string;
	meta: Record<string, unknown>;
}

/**
 * The transcript as v2 messages, oldest first, with their times as numbers. The header entry of
 * v1 is no message. Operators are named by their operator id (v1 names them by their WMS id);
 * visitors keep the same `$…` id. A file message's shape is not documented: this one is inferred.
 */
export function messagesOf(dataset: Dataset, record: ChatRecord): { messages: V2Message[]; times: number[] } {
	const transcript = dataset.transcript(record.chat.chat_id);
	if (!transcript) return { messages: [], times: [] };
	const byWms = new Map(dataset.operators.map((op) => [op.wms_id, op.id]));
	const rng = new Random(mix(record.seed, 13));
	const messages: V2Message[] = [];
	const times: number[] = [];
	transcript.entries.forEach((entry: TranscriptEntry, index) => {
		if (!('time' in entry)) return;
		const base = {
			id: `${entry.time}_${rng.digits(12)}`,
			sequence_id: String(index),
			sender: { id: byWms.get(entry.sender) ?? entry.sender, name: entry.dname },
			time: entry.time,
			meta: {},
		};
		if ('mode' in entry) {
			const file: Record<string, unknown> = {
				id: entry.msg.fileId,
				name: entry.msg.fName,
				content_type: entry.msg.content,
				size: entry.msg.size,
			};
			if (entry.msg.dim) file.dimensions = { width: entry.msg.dim.width, height: entry.msg.dim.height };
			messages.push({ ...base, type: 'file', message: { file } });
		} else {
			messages.push({ ...base, type: 'text', message: { text: entry.msg } });
		}
		times.push(Number(entry.time));
	});
	return { messages, times };
}

/** `status` and `chat_status` from the chat's state: waiting, connected, answered and ended, or missed. */
function statusOf(chat: ChatRecord['chat']): [string, Record<string, unknown>] {
	if (chat.missed_time) return ['Missed', { state_key: 'missed', status_code: 2, state: 5, label: 'Missed', status_key: 'closed' }];
	if (chat.end_time) return ['Attended Online', { state_key: 'closed', status_code: 2, state: 4, label: 'Attended Online', status_key: 'closed' }];
	if (chat.pickup_time) return ['Connected', { state_key: 'connected', status_code: 0, state: 2, label: 'Connected', status_key: 'open' }];
	return ['Waiting', { state_key: 'waiting', status_code: 0, state: 1, label: 'Waiting', status_key: 'open' }];
}

/** The v2 conversation object of a chat (the documented detail shape), as the chat is now. */
export function conversationOf(dataset: Dataset, record: ChatRecord): Record<string, unknown> {
	const { chat } = record;
	const rng = new Random(mix(record.seed, 12));
	const visitor: Record<string, unknown> = {
		id: conversationVisitorIdOf(dataset, record),
		name: chat.visitor_name,
		ip: chat.visitor_ip,
		country_code: chat.country_code,
		type: chat.visitor_email ? 'contact' : 'lead',
		channel_name: 'website',
		channel_details: { channel: 'website', source: 'Direct' },
	};
	if (chat.visitor_email) visitor.email = chat.visitor_email;
	if (chat.visitor_phoneno) visitor.phone = chat.visitor_phoneno;
	const operator = dataset.operators.find((op) => op.id === chat.attender_id);
	const [status, chatStatus] = statusOf(chat);
	const conversation: Record<string, unknown> = {
		id: conversationIdOf(dataset, record),
		reference_id: chat.chat_id,
		chat_id: `LD_${rng.digits(19)}_${Math.floor(record.time / 1000)}`,
		type: 'chat',
		question: chat.question,
		start_time: chat.chatinitiated_time,
		last_modified_time: chat.end_time ?? chat.missed_time ?? chat.pickup_time ?? chat.chatinitiated_time,
		status,
		chat_status: chatStatus,
		app_id: chat.embed_id,
		app_name: chat.chat_title,
		department: { id: chat.department_id, name: chat.department_name },
		participants: dataset.operators.filter((op) => chat.participants.includes(op.wms_id)).map(person),
		supervisors: dataset.operators.filter((op) => chat.supervisor.includes(op.wms_id)).map(person),
		visitor,
		customer_info: { ...chat.customer_info },
	};
	if (operator) {
		conversation.owner = person(operator);
		conversation.attender = person(operator);
	}
	for (const [v2, v1] of [['attended_time', 'pickup_time'], ['end_time', 'end_time'], ['missed_time', 'missed_time']] as const) {
		if (chat[v1] !== undefined) conversation[v2] = chat[v1];
	}
	const last = messagesOf(dataset, record).messages.at(-1);
	if (last) {
		const { sequence_id, sender, type, message, time } = last;
		conversation.last_message_info = { sequence_id, sender, type, message, time };
	}
	return conversation;
}

/**
 * Merges custom info into a chat, as `PUT /conversations/{id}` does. The chat's cached JSON is
 * dropped so the v1 chat list and chat info show the change too.
 */
export function mergeCustomerInfo(record: ChatRecord, values: Record<string, string>): void {
	record.chat.customer_info = { ...record.chat.customer_info, ...values };
	record.json = undefined;
}
