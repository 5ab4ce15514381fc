import { CHAT_LIST } from './actions/chat/list';
import { registryEntries } from './actions/registry';
import { PORTALS } from './methods/loadOptions';
import type { Endpoint } from './transport/types';
import { TRIGGER_ENDPOINTS } from './trigger/endpoints';

/**
 * Every endpoint the package calls, from where each is declared: the registry's operations, the
 * node's load-options methods, the webhook trigger and the Poll Trigger (the chat list). An endpoint declared next to its code is listed here
 * through its module; a new operation in the registry needs nothing here.
 */
function declaredEndpoints(): Endpoint[] {
	const operations = registryEntries().flatMap(({ definition }) =>
		Object.values(definition.operations).flatMap((operation) => Object.values(operation.endpoints)),
	);
	return [...operations, PORTALS, ...Object.values(TRIGGER_ENDPOINTS), CHAT_LIST];
}

/** Every scope the node and the trigger need, in the order first declared. The credential requests all of them at once. */
export const ALL_SCOPES: readonly string[] = [...new Set(declaredEndpoints().map((endpoint) => endpoint.scope))];
