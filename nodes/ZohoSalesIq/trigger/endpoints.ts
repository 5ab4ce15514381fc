import type { Endpoint } from '../transport/types';

/** The v2 endpoints the trigger calls to manage its webhook subscription, each with its scope. */
export const TRIGGER_ENDPOINTS = {
	/** The portal's brands: the Brands list, and every brand when none is chosen. */
	apps: { method: 'GET', version: 'v2', path: '/apps', scope: 'SalesIQ.Apps.READ' },
	listWebhooks: { method: 'GET', version: 'v2', path: '/webhooks', scope: 'SalesIQ.webhooks.READ' },
	getWebhook: { method: 'GET', version: 'v2', path: '/webhooks/{id}', scope: 'SalesIQ.webhooks.READ' },
	createWebhook: { method: 'POST', version: 'v2', path: '/webhooks', scope: 'SalesIQ.webhooks.CREATE' },
	/** The RSA public key of a secured webhook. */
	createKey: { method: 'POST', version: 'v2', path: '/webhooks/{id}/keys', scope: 'SalesIQ.webhooks.CREATE' },
	deleteWebhook: { method: 'DELETE', version: 'v2', path: '/webhooks/{id}', scope: 'SalesIQ.webhooks.DELETE' },
} satisfies Record<string, Endpoint>;
