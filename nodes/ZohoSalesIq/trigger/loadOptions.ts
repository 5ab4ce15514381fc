import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { endpointRequest, salesIqRequest } from '../transport/request';
import { TRIGGER_ENDPOINTS } from './endpoints';

function records(data: unknown): IDataObject[] {
	return Array.isArray(data)
		? data.filter((item): item is IDataObject => typeof item === 'object' && item !== null && !Array.isArray(item))
		: [];
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

/**
 * Brands (apps) of the portal chosen in the trigger's Options > Portal, or of the credential's portal.
 */
export async function getApps(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options = this.getCurrentNodeParameter('options') as IDataObject | undefined;
	const screenName = text(options?.screenName);
	const data = await salesIqRequest.call(this, { ...endpointRequest(TRIGGER_ENDPOINTS.apps), screenName });
	return records(data)
		.map((app) => ({ id: text(app.id), name: text(app.name) }))
		.filter((app): app is { id: string; name: string | undefined } => app.id !== undefined)
		.map((app) => ({ name: app.name ?? app.id, value: app.id, description: `Brand ID ${app.id}` }))
		.sort(byName);
}
