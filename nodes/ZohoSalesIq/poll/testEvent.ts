import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { chatPages, pageBudget } from '../actions/chat/list';
import type { PollConfig } from './config';
import { eventOfOutcome, outcomeOf, POLL_EVENT_OPTIONS, type PollEvent } from './events';

/** The event a chat shows for Fetch Test Event: its end if that is chosen, else its start. */
function eventOf(chat: IDataObject, config: PollConfig): PollEvent | undefined {
	const outcome = outcomeOf(chat);
	if (outcome.kind !== 'open' && config.events.has(eventOfOutcome(outcome.kind))) return eventOfOutcome(outcome.kind);
	return config.events.has('chatStarted') ? 'chatStarted' : undefined;
}

/**
 * "Fetch Test Event" in the editor: the newest chat that fits the chosen events and filters, read
 * within the Page Budget. The stored position is not read or moved.
 */
export async function fetchTestEvent(this: IPollFunctions, config: PollConfig): Promise<INodeExecutionData[]> {
	let read = 0;
	const budget = pageBudget(config.pageBudget);
	for await (const page of chatPages.call(this, config.settings, { budget })) {
		for (const chat of page) {
			read++;
			const event = eventOf(chat, config);
			if (event && config.matches(chat)) return [{ json: { ...chat, event } }];
		}
	}
	const names = POLL_EVENT_OPTIONS.filter((option) => config.events.has(option.value as PollEvent)).map((option) => option.name);
	throw new NodeOperationError(this.getNode(), `No chat fits: none of the newest ${read} chats is a "${names.join('" or "')}" event that passes the filters`, {
		description:
			read === 0
				? 'The portal has no chats yet. Start a chat on your website, then fetch again.'
				: 'Start or end a chat that fits, widen the filters, or raise the Page Budget option to look further back.',
	});
}
