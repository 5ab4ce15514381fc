/**
 * SalesIQ REST API v2: portal discovery, brands, departments and webhook subscriptions.
 * Every success uses the v2 envelope `{url, object, data}`, plus `sync_time` on lists.
 */
import type { Dataset } from './data';
import type { ApiRoute, Reply, RouteContext } from './http';
import { ApiError, badParam, intParam, json, limitParam, MESSAGES } from './http';
import type { Variants } from './variants';
import { writeReply } from './variants';
import type { WebhookStore } from './webhooks';

const DEPARTMENTS_PER_PAGE = 20;

function parseJsonBody(body: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		throw new ApiError(400, 1015, MESSAGES[1015]);
	}
}

export function v2Routes(dataset: Dataset, webhooks: WebhookStore, variants: Variants, now: () => number): ApiRoute[] {
	const list = (path: string, data: unknown): Reply => json(200, { url: path, object: 'list', data, sync_time: String(now()) });
	const one = (path: string, object: string, data: unknown): Reply => json(200, { url: path, object, data });

	const portals = ({ path }: RouteContext) => list(path, [dataset.portal]);
	const apps = ({ path }: RouteContext) => list(path, dataset.apps);
	const departments = ({ path, query }: RouteContext) => {
		const index = intParam(query, 'index') ?? 1;
		if (index < 1) throw badParam('index');
		const limit = limitParam(query, DEPARTMENTS_PER_PAGE, 100);
		return list(path, dataset.departments.slice(index - 1, index - 1 + limit));
	};

	const v2 = (rest: string) => new RegExp(`^/api/v2/([^/]+)${rest}$`);
	const hooks = v2('/webhooks');
	const hook = v2('/webhooks/([^/]+)');
	return [
		{ method: 'GET', pattern: /^\/api\/v2\/portals$/, screen: false, scope: 'SalesIQ.portals.READ', handler: portals },
		{ method: 'GET', pattern: v2('/apps'), screen: true, scope: 'SalesIQ.Apps.READ', handler: apps },
		{ method: 'GET', pattern: v2('/departments'), screen: true, scope: 'SalesIQ.departments.READ', handler: departments },
		{ method: 'GET', pattern: hooks, screen: true, scope: 'SalesIQ.webhooks.READ', handler: ({ path }) => list(path, webhooks.list(true)) },
		{
			method: 'POST',
			pattern: hooks,
			screen: true,
			scope: 'SalesIQ.webhooks.CREATE',
			handler: async ({ path, body }) => one(path, 'webhook', await webhooks.create(parseJsonBody(body))),
		},
		{
			method: 'GET',
			pattern: hook,
			screen: true,
			scope: 'SalesIQ.webhooks.READ',
			handler: ({ path, params }) => one(path, 'webhook', webhooks.get(params[0], true)),
		},
		{
			method: 'PUT',
			pattern: hook,
			screen: true,
			scope: 'SalesIQ.webhooks.UPDATE',
			handler: async ({ path, params, body }) => one(path, 'webhook', await webhooks.update(params[0], parseJsonBody(body))),
		},
		{
			method: 'DELETE',
			pattern: hook,
			screen: true,
			scope: 'SalesIQ.webhooks.DELETE',
			handler: ({ path, params }) => {
				webhooks.delete(params[0]);
				return writeReply(variants, one(path, 'webhook', 'success'));
			},
		},
		{
			method: 'POST',
			pattern: v2('/webhooks/([^/]+)/keys'),
			screen: true,
			scope: 'SalesIQ.webhooks.CREATE',
			handler: async ({ path, params }) => one(path, 'webhook', await webhooks.addKey(params[0])),
		},
		{
			method: 'DELETE',
			pattern: v2('/webhooks/([^/]+)/keys/([^/]+)'),
			screen: true,
			scope: 'SalesIQ.webhooks.DELETE',
			handler: async ({ path, params }) => {
				await webhooks.deleteKey(params[0], params[1]);
				return one(path, 'webhook_key', 'success');
			},
		},
	];
}
