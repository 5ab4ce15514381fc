import type { INodeProperties } from 'n8n-workflow';

import { END_DELAY_SECONDS, MAX_SUGGESTIONS } from './payload';

/** The Request ID of a pending exchange, read from the Bot Trigger's item by default. */
export const requestIdField: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	required: true,
	default: "={{ $('Zoho SalesIQ Bot Trigger').item.json.requestId }}",
	description:
		'The requestId of the Zoho SalesIQ Bot Trigger item this answers (its response mode must be Pending). Change the node name in the expression if you renamed the trigger.',
};

/** The reply builder shared by Send Reply and Build Reply. */
export const replyFields: INodeProperties[] = [
	{
		displayName: 'Action',
		name: 'botAction',
		type: 'options',
		options: [
			{ name: 'Reply', value: 'reply', description: 'Answer the visitor; the bot keeps the chat' },
			{ name: 'Forward to Human', value: 'forward', description: 'Hand the chat over to an operator' },
			{ name: 'End Chat', value: 'end', description: 'Close the chat, now or after a delay' },
		],
		default: 'reply',
		description: 'What the bot does',
	},
	{
		displayName: 'Reply Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'Our plans start at $10 a month.',
		description: 'What the visitor reads. Required for Reply; for Forward and End, an optional last message.',
	},
	{
		displayName: 'More Replies',
		name: 'moreReplies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Reply',
		default: {},
		description: 'Further messages after the Reply Text, each a text, an image, or both',
		options: [
			{
				displayName: 'Reply',
				name: 'reply',
				values: [
					{ displayName: 'Text', name: 'text', type: 'string', default: '' },
					{
						displayName: 'Image URL',
						name: 'imageUrl',
						type: 'string',
						default: '',
						placeholder: 'https://www.example.com/plan.png',
						description: 'An http(s) image shown with the text',
					},
				],
			},
		],
	},
	{
		displayName: 'Suggestions',
		name: 'suggestions',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Suggestion' },
		default: [],
		displayOptions: { show: { botAction: ['reply'] } },
		description: `Buttons the visitor can tap instead of typing (at most ${MAX_SUGGESTIONS}). An expression may also give a list or a comma-separated text.`,
	},
	{
		displayName: 'Department ID',
		name: 'department',
		type: 'string',
		default: '',
		displayOptions: { show: { botAction: ['forward'] } },
		description: 'Forward to this department (the ID from Settings > Departments). Leave empty, with no Operators, for any available operator.',
	},
	{
		displayName: 'Operators',
		name: 'operators',
		type: 'string',
		default: '',
		placeholder: 'scott@example.com, maria@example.com',
		displayOptions: { show: { botAction: ['forward'] } },
		description: 'Forward to these operators instead, by e-mail address, separated by commas',
	},
	{
		displayName: 'End After (Seconds)',
		name: 'endDelay',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: END_DELAY_SECONDS.max },
		default: 0,
		displayOptions: { show: { botAction: ['end'] } },
		description: `0 ends the chat now; ${END_DELAY_SECONDS.min} to ${END_DELAY_SECONDS.max} schedules the end (SalesIQ cancels it when the visitor writes again or an operator joins)`,
	},
];
