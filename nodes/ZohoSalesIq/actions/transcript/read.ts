import type { IExecuteFunctions } from 'n8n-workflow';

import type { Endpoint } from '../../transport/types';
import { CONVERSATION, getConversation } from '../chat/conversation';
import type { ChatRef } from '../chatRef';
import type { RequestSettings } from '../runtime';
import { conversationEntries, headerFromConversation, MESSAGES } from './conversationMessages';
import { TRANSCRIPT, transcriptPages, type TranscriptEntry } from './entries';

/** What chatEntryPages may call: v1's transcript, v2's conversation and its messages. */
export const CHAT_ENTRY_ENDPOINTS = { transcript: TRANSCRIPT, conversation: CONVERSATION, messages: MESSAGES } satisfies Record<string, Endpoint>;

export interface ReadOptions {
	/** Messages wanted, oldest first; undefined means all. The header never counts. */
	limit?: number;
	/** Also give the header entry (visitor, question, start time), as v1's first page does. */
	header?: boolean;
}

/**
 * The transcript of a chat of either kind as v1 entries, oldest first, one array per page: a
 * chat id through v1's transcript, a conversation id through v2's conversation and messages.
 */
export async function* chatEntryPages(
	this: IExecuteFunctions,
	settings: RequestSettings,
	ref: ChatRef,
	options: ReadOptions = {},
): AsyncGenerator<TranscriptEntry[]> {
	if (ref.kind === 'chat') {
		yield* transcriptPages.call(this, settings, ref.id, options.limit);
		return;
	}
	const header = options.header ? headerFromConversation(await getConversation.call(this, settings, ref.id)) : undefined;
	const entries = await conversationEntries.call(this, settings, ref.id, options.limit);
	yield header ? [header, ...entries] : entries;
}
