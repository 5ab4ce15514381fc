import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { endpointRequest, salesIqRequest } from '../transport/request';
import type { Endpoint } from '../transport/types';
import { recordsOf } from '../shared/values';

/** GET /api/v2/portals: the portals the connected user can reach (no screen name in the path). */
export const PORTALS: Endpoint = { method: 'GET', version: 'v2', path: '/portals', withoutScreen: true, scope: 'SalesIQ.portals.READ' };

/** Portals the connected user can reach (GET /api/v2/portals), for the Portal option. */
export async function getPortals(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const portals = recordsOf(await salesIqRequest.call(this, endpointRequest(PORTALS)));
	return portals
		.filter((portal) => typeof portal.screenname === 'string' && portal.screenname)
		.map((portal) => ({
			name: portal.name ? `${String(portal.name)} (${String(portal.screenname)})` : String(portal.screenname),
			value: String(portal.screenname),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

