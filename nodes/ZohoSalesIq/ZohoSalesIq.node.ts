import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeMethods, nodeProperties } from './actions/description';
import { router } from './actions/router';

export class ZohoSalesIq implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Zoho SalesIQ',
		name: 'zohoSalesIq',
		icon: { light: 'file:zohoSalesIq.svg', dark: 'file:zohoSalesIq.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Export chats, transcripts and attachments, update visitors, send push notifications and answer as a bot with Zoho SalesIQ',
		defaults: { name: 'Zoho SalesIQ' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Bot > Build Reply sends nothing, so it needs no credential.
		credentials: [{ name: 'zohoSalesIqOAuth2Api', required: true, displayOptions: { hide: { operation: ['buildReply'] } } }],
		// Resource and Operation lists and every operation's fields come from the registry (actions/registry.ts).
		properties: nodeProperties(),
	};

	methods = nodeMethods();

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
