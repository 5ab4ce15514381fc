import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { loadOptions as sharedLoadOptions } from '../methods';
import { DEFAULT_RESOURCE, registryEntries } from './registry';
import type { OperationMethods } from './types';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The node's properties, built from the registry: the Resource list, then for each resource (in the
 * order the editor lists them) its Operation list, each operation's tool description and its fields, shown only for it.
 */
export function nodeProperties(): INodeProperties[] {
	const resources = registryEntries().sort((a, b) => byName(a.definition, b.definition));
	const resourceProperty: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resources.map(({ resource, definition }) => ({ name: definition.name, value: resource, description: definition.description })),
		default: DEFAULT_RESOURCE,
	};
	const perResource = resources.flatMap(({ resource, definition }) => {
		const operations = Object.entries(definition.operations);
		const { defaultOperation } = definition;
		const operationProperty: INodeProperties = {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: operations
				.map(([value, { option }]) => ({ name: option.name, value, description: option.description, action: option.action }))
				.sort(byName),
			default: defaultOperation,
		};
		const toolDescriptions = operations.map(([operation, { option }]) => toolDescriptionField(resource, operation, option.toolDescription));
		const fields = operations.flatMap(([operation, module]) =>
			updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, module.properties),
		);
		return [operationProperty, ...toolDescriptions, ...fields];
	});
	return [resourceProperty, ...perResource];
}

/**
 * The operation's Description in the node's tool variant only ('@tool'): n8n gives its value to the agent as the tool's
 * description, and, since the node has this field, adds no automatic description of its own. The user can edit it.
 */
function toolDescriptionField(resource: string, operation: string, text: string): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
		default: text,
		description: 'What the AI agent reads about this tool: what it returns and what its inputs mean',
	};
}

type MethodKind = keyof OperationMethods;

/**
 * The node's `methods`: the shared load-options methods (the Portal list) and every operation's
 * listSearch and loadOptions methods. Two operations may share a method only by sharing the function.
 */
export function nodeMethods(): OperationMethods {
	const methods: OperationMethods = { loadOptions: { ...sharedLoadOptions } };
	for (const { definition } of registryEntries()) {
		for (const module of Object.values(definition.operations)) {
			for (const kind of Object.keys(module.methods ?? {}) as MethodKind[]) {
				const target = (methods[kind] ??= {}) as Record<string, unknown>;
				for (const [name, method] of Object.entries(module.methods?.[kind] ?? {})) {
					if (target[name] !== undefined && target[name] !== method) {
						throw new Error(`Two different ${kind} methods are named "${name}"`);
					}
					target[name] = method;
				}
			}
		}
	}
	return methods;
}
