import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { getPortals } from './methods/loadOptions';
import { forgetCredentials } from './transport/credential';
import { readPollConfig } from './poll/config';
import { pollTriggerProperties } from './poll/description';
import { pollActive } from './poll/run';
import { fetchTestEvent } from './poll/testEvent';
import { getApps } from './trigger/loadOptions';

export class ZohoSalesIqPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho SalesIQ Poll Trigger',
		name: 'zohoSalesIqPollTrigger',
		icon: { light: 'file:zohoSalesIq.svg', dark: 'file:zohoSalesIq.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow on a schedule when Zoho SalesIQ chats start, end or are missed; needs no public URL',
		defaults: {
			name: 'Zoho SalesIQ Poll Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'zohoSalesIqOAuth2Api',
				required: true,
			},
		],
		properties: pollTriggerProperties,
	};

	methods = {
		loadOptions: {
			getApps,
			getPortals,
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		// n8n keeps one poll context for the whole activation: read the credential afresh each poll.
		forgetCredentials(this);
		const config = readPollConfig(this);
		if (this.getMode() === 'manual') return [await fetchTestEvent.call(this, config)];

		const items = await pollActive.call(this, config);
		return items ? [items] : null;
	}
}
