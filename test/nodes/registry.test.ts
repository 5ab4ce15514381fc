import type { INodeProperties } from 'n8n-workflow';

import { findOperation, registry, registryEntries } from '../../nodes/ZohoSalesIq/actions/registry';
import { ALL_SCOPES } from '../../nodes/ZohoSalesIq/scopes';
import { ZohoSalesIq } from '../../nodes/ZohoSalesIq/ZohoSalesIq.node';

describe('the resource registry feeds the description, the methods and the router', () => {
	const node = new ZohoSalesIq();
	const properties = node.description.properties;

	it('lists every resource, and for each its operations, sorted by name, with the registry default', () => {
		const resource = properties.find((p) => p.name === 'resource')!;
		const names = (resource.options as Array<{ name: string; value: string }>).map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect((resource.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(Object.keys(registry).sort());

		for (const [key, definition] of Object.entries(registry)) {
			const operation = properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === key)!;
			expect((operation.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(Object.keys(definition.operations).sort());
			expect(operation.default).toBe(definition.defaultOperation);
		}
	});

	it('shows each operation field only for its own resource and operation', () => {
		const fields = properties.filter((p) => p.name !== 'resource' && p.name !== 'operation');
		expect(fields.length).toBeGreaterThan(0);
		for (const field of fields as INodeProperties[]) {
			const show = field.displayOptions?.show ?? {};
			expect(show.resource).toHaveLength(1);
			expect(show.operation).toHaveLength(1);
			expect(findOperation(String(show.resource![0]), String(show.operation![0]))).toBeDefined();
		}
	});

	it('hands the shared load-options methods to the node', () => {
		expect(Object.keys(node.methods.loadOptions ?? {})).toContain('getPortals');
	});

	it('finds no operation under inherited object keys', () => {
		expect(findOperation('constructor', 'toString')).toBeUndefined();
		expect(findOperation('chat', 'constructor')).toBeUndefined();
		expect(findOperation('__proto__', 'get')).toBeUndefined();
		expect(findOperation('chat', 'get')).toBe(registry.chat.operations.get);
	});

	it('every operation declares its endpoints with a Zoho scope, and the credential asks for each', () => {
		for (const { definition } of registryEntries()) {
			for (const operation of Object.values(definition.operations)) {
				for (const endpoint of Object.values(operation.endpoints)) {
					expect(endpoint.scope).toMatch(/^SalesIQ\.[A-Za-z]+\.(READ|UPDATE|CREATE|DELETE)$/);
					expect(ALL_SCOPES).toContain(endpoint.scope);
				}
			}
		}
	});
});
