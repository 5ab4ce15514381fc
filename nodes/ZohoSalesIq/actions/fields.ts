import type { INodeProperties } from 'n8n-workflow';

import { MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../transport/deadline';
import { DEFAULT_TIMEOUT_MS } from '../transport/types';
import { MAX_LIMIT } from './validation';

/**
 * Field descriptions shared by several operations (and, for the Portal, by the trigger). Each
 * field is written once here; operations place them in their own property lists.
 */

/** The "Portal" option of the node and the trigger: a screen name that overrides the credential's. */
export function portalField(purpose: string): INodeProperties {
	return {
		displayName: 'Portal Name or ID',
		name: 'screenName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPortals' },
		default: '',
		description: `The portal (screen name) to ${purpose}, instead of the one in the credential. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

const portalOption = portalField('work in');

const retryOption: INodeProperties = {
	displayName: 'Retry on Server Errors',
	name: 'retryOnServerErrors',
	type: 'boolean',
	default: true,
	description:
		'Whether to try a read up to two more times, with a short pause, when SalesIQ answers 500, 502, 503 or 504 or drops the connection',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: MIN_TIMEOUT_MS, maxValue: MAX_TIMEOUT_MS, numberPrecision: 0 },
	default: DEFAULT_TIMEOUT_MS,
	description:
		`How long to wait for each whole SalesIQ response (a file download included), in milliseconds, from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}, before failing. A request that first needs a new access token may take up to three times as long.`,
};

/** Portal, Timeout and (for reads) Retry on Server Errors. */
function requestOptionFields(read: boolean): INodeProperties[] {
	return read ? [portalOption, retryOption, timeoutOption] : [portalOption, timeoutOption];
}

/** An operation's Options collection: its own options (named before "Portal"), then the request settings. */
export function requestOptionsCollection(read: boolean, own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...own, ...requestOptionFields(read)],
	};
}

/**
 * The Chat ID field that chat, transcript and attachment operations share: a resource locator with
 * From List (recent chats, `searchChats`) and By ID. A plain string or an expression, as workflows
 * written before the locator hold, works too. actions/chatRef.ts reads it.
 */
export function chatIdField(description: string, hint?: string): INodeProperties {
	return {
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description,
		hint: [
			'A chat ID such as 282 is read through SalesIQ’s v1 API; a conversation ID of 12 or more digits (such as 19000000033103, the trigger’s conversation_id) through its v2 API',
			hint,
		]
			.filter(Boolean)
			.join('. '),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a chat...',
				typeOptions: { searchListMethod: 'searchChats', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 282 or 19000000033103',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'A chat ID or conversation ID has only letters, digits, "_" and "-"' },
					},
				],
			},
		],
	};
}

/** The Email field of Visitor Update and the push notification operations. */
export function emailField(description: string, hint?: string): INodeProperties {
	return {
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description,
		...(hint ? { hint } : {}),
	};
}

export function returnAllField(noun: string): INodeProperties {
	return {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		hint: `Return All reads every ${noun} in range; for large portals set a time range or a limit.`,
	};
}

export function limitField(): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_LIMIT },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	};
}
