import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';

export const PACKAGE = 'n8n-nodes-zoho-salesiq';
export const INPUT_NODE_TYPE = 'harness.input';

/** Emits the JSON items given in its `items` parameter: the input of the node under test. */
class HarnessInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Input',
		name: 'input',
		group: ['input'],
		version: 1,
		description: 'Test input',
		defaults: { name: 'Input' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getNodeParameter('items', 0) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

type Loader = () => INodeType | IVersionedNodeType;

// Package node classes are loaded on first use, so a test that needs only one node never loads the others.
const loaders = new Map<string, Loader>([
	[INPUT_NODE_TYPE, () => new HarnessInput()],
	[
		`${PACKAGE}.zohoSalesIq`,
		() => new (require('../../nodes/ZohoSalesIq/ZohoSalesIq.node').ZohoSalesIq)(),
	],
	[
		`${PACKAGE}.zohoSalesIqTrigger`,
		() => new (require('../../nodes/ZohoSalesIq/ZohoSalesIqTrigger.node').ZohoSalesIqTrigger)(),
	],
	[
		`${PACKAGE}.zohoSalesIqBotTrigger`,
		() => new (require('../../nodes/ZohoSalesIq/ZohoSalesIqBotTrigger.node').ZohoSalesIqBotTrigger)(),
	],
	[
		`${PACKAGE}.zohoSalesIqPollTrigger`,
		() => new (require('../../nodes/ZohoSalesIq/ZohoSalesIqPollTrigger.node').ZohoSalesIqPollTrigger)(),
	],
]);

const instances = new Map<string, INodeType | IVersionedNodeType>();

/** Makes a node class available to the harness under a type name (test-only nodes). */
export function registerNodeType(type: string, loader: Loader): void {
	loaders.set(type, loader);
	instances.delete(type);
}

export const nodeTypes: INodeTypes = {
	getByName(type) {
		let instance = instances.get(type);
		if (!instance) {
			const loader = loaders.get(type);
			if (!loader) throw new Error(`Unknown node type "${type}" in the harness`);
			instance = loader();
			instances.set(type, instance);
		}
		return instance;
	},
	getByNameAndVersion(type, version) {
		const found = this.getByName(type);
		return 'nodeVersions' in found ? found.getNodeType(version) : found;
	},
	getKnownTypes() {
		return {};
	},
};
