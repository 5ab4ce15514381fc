import type { INodePropertyOptions } from 'n8n-workflow';

/** The conversation events SalesIQ's v2 Webhooks API accepts for data webhooks. */
export const CONVERSATION_EVENTS = [
	{ value: 'conversation.created', name: 'Conversation Started', action: 'A visitor starts a conversation' },
	{ value: 'conversation.attender.updated', name: 'Conversation Assigned', action: 'The operator attending the conversation changes' },
	{ value: 'conversation.missed', name: 'Conversation Missed', action: 'No operator picked up the conversation' },
	{ value: 'conversation.operator.replied', name: 'Operator Replied', action: 'An operator sends a message' },
	{ value: 'conversation.visitor.replied', name: 'Visitor Replied', action: 'The visitor sends a message' },
	{ value: 'conversation.completed', name: 'Conversation Completed', action: 'The conversation ends' },
	{ value: 'conversation.rated', name: 'Conversation Rated', action: 'The visitor rates the conversation' },
	{ value: 'conversation.transfer.initiated', name: 'Transfer Requested', action: 'An operator asks another operator to take over' },
	{ value: 'conversation.transfer.accepted', name: 'Transfer Accepted', action: 'The other operator accepts the transfer' },
	{ value: 'conversation.transfer.rejected', name: 'Transfer Declined', action: 'The other operator declines the transfer' },
	{ value: 'conversation.participants.added', name: 'Participant Added', action: 'An operator is added to the conversation' },
	{ value: 'conversation.participants.deleted', name: 'Participant Removed', action: 'An operator leaves or is removed from the conversation' },
	{ value: 'conversation.supervisor.added', name: 'Supervisor Joined', action: 'A supervisor joins the conversation' },
	{ value: 'conversation.message.edited', name: 'Message Edited', action: 'A message in the conversation is edited' },
	{ value: 'conversation.message.deleted', name: 'Message Deleted', action: 'A message in the conversation is deleted' },
] as const;

export type ConversationEvent = (typeof CONVERSATION_EVENTS)[number]['value'];

const EVENT_VALUES: ReadonlySet<string> = new Set(CONVERSATION_EVENTS.map((event) => event.value));

export function isConversationEvent(value: unknown): value is ConversationEvent {
	return typeof value === 'string' && EVENT_VALUES.has(value);
}

/** Options for the Events field, sorted by label as n8n's lint asks; the Zoho name is in each description. */
export const EVENT_OPTIONS: INodePropertyOptions[] = CONVERSATION_EVENTS.map((event) => ({
	name: event.name,
	value: event.value,
	description: `${event.action} (Zoho event: ${event.value})`,
})).sort((a, b) => a.name.localeCompare(b.name));
