import type { IPollFunctions } from 'n8n-workflow';

import { chatPages, pageBudget } from '../actions/chat/list';
import type { PollConfig } from './config';
import type { PollState } from './state';
import { toMs } from '../shared/values';

/**
 * The position of a first activation. With Start From, every chat started at or after it is new.
 * Without, the newest chat now in the list marks "now" (one request, and no clock of this machine
 * is trusted against SalesIQ's): only chats started after it fire.
 */
export async function startPosition(this: IPollFunctions, config: PollConfig): Promise<PollState> {
	if (config.startFrom !== undefined) {
		return { version: 1, origin: config.startFrom, done: { time: config.startFrom, ids: [] }, open: [] };
	}
	const ids: string[] = [];
	let time = 0;
	for await (const page of chatPages.call(this, config.settings, { budget: pageBudget(1) })) {
		time = toMs(page[0]?.chatinitiated_time) ?? 0;
		for (const chat of page) if (toMs(chat.chatinitiated_time) === time) ids.push(String(chat.chat_id));
		break;
	}
	return { version: 1, origin: null, done: { time, ids }, open: [] };
}
