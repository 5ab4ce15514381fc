import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { salesIqRequest } from '../transport/request';

function asList(data: unknown): IDataObject[] {
	return Array.isArray(data) ? (data as IDataObject[]) : [];
}

/** Portals the connected user can reach (GET /api/v2/portals), for the Portal option. */
export async function getPortals(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const portals = asList(await salesIqRequest.call(this, { method: 'GET', version: 'v2', path: '/portals', withoutScreen: true }));
	return portals
		.filter((portal) => typeof portal.screenname === 'string' && portal.screenname)
		.map((portal) => ({
			name: portal.name ? `${String(portal.name)} (${String(portal.screenname)})` : String(portal.screenname),
			value: String(portal.screenname),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

