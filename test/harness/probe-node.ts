import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { resolveApiUrl } from '../../nodes/ZohoSalesIq/transport/dataCenters';

/** Test-only node: one authenticated GET per item to the credential's API URL plus `path`. */
export class ProbeNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Sends one authenticated request per item',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'zohoSalesIqOAuth2Api', required: true }],
		properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '/api/v2/portals' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('zohoSalesIqOAuth2Api');
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const body = await this.helpers.httpRequestWithAuthentication.call(this, 'zohoSalesIqOAuth2Api', {
				method: 'GET',
				url: resolveApiUrl(credentials) + (this.getNodeParameter('path', i) as string),
				json: true,
			});
			out.push({ json: body, pairedItem: { item: i } });
		}
		return [out];
	}
}
