import { NodeHelpers, type INodeTypeDescription } from 'n8n-workflow';
import { ZohoSalesIq } from '../../nodes/ZohoSalesIq/ZohoSalesIq.node';
import { registryEntries } from '../../nodes/ZohoSalesIq/actions/registry';

const node = new ZohoSalesIq().description;

/** Every operation of the registry with the text it gives agents. */
const operations = registryEntries().flatMap(({ resource, definition }) =>
	Object.entries(definition.operations).map(([operation, module]) => ({ resource, operation, text: module.option.toolDescription })),
);

/** The parameters n8n keeps for a node of this type, defaults included, as when it loads a workflow. */
function parameters(description: INodeTypeDescription, values: Record<string, string>) {
	const nodeOfType = { id: '1', name: 'n', type: description.name, typeVersion: 1, position: [0, 0] as [number, number], parameters: values };
	return NodeHelpers.getNodeParameters(description.properties, values, true, false, nodeOfType, description) ?? {};
}

describe('tool descriptions (the node as an AI tool)', () => {
	it('every operation tells agents what it returns', () => {
		expect(operations.length).toBeGreaterThanOrEqual(9);
		for (const { resource, operation, text } of operations) {
			expect({ resource, operation, text }).toEqual({ resource, operation, text: expect.stringMatching(/Returns /) });
		}
	});

	it('the tool variant gets its operation\'s text as toolDescription; the node itself gets none', () => {
		// n8n names the tool variant "<name>Tool"; '@tool' display conditions read that name.
		const tool = { ...node, name: `${node.name}Tool` };
		for (const { resource, operation, text } of operations) {
			expect(parameters(tool, { resource, operation }).toolDescription).toBe(text);
			expect(parameters(node, { resource, operation })).not.toHaveProperty('toolDescription');
		}
	});
});
