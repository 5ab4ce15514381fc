import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { endpointRequest, salesIqRequest } from '../transport/request';
import { TRIGGER_ENDPOINTS } from './endpoints';
import { asText, recordsOf } from '../shared/values';

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

/**
 * Brands (apps) of the portal chosen in the trigger's Options > Portal, or of the credential's portal.
 */
export async function getApps(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options = this.getCurrentNodeParameter('options') as IDataObject | undefined;
	const screenName = asText(options?.screenName);
	const data = await salesIqRequest.call(this, { ...endpointRequest(TRIGGER_ENDPOINTS.apps), screenName });
	return recordsOf(data)
		.map((app) => ({ id: asText(app.id), name: asText(app.name) }))
		.filter((app): app is { id: string; name: string | undefined } => app.id !== undefined)
		.map((app) => ({ name: app.name ?? app.id, value: app.id, description: `Brand ID ${app.id}` }))
		.sort(byName);
}
