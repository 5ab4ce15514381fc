/**
 * The contenders that run inside n8n-core's WorkflowExecute (test/harness), the way n8n runs a node:
 *   node    (A) our Zoho SalesIQ node
 *   helper  (H) the bench-only node that does the minimal loop through n8n's HTTP helpers only
 *   empty   the n8n-core baseline: an empty workflow, for peak memory
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PACKAGE, credentialFor, nodeTypes, registerNodeType, runNode, runWorkflow, HarnessCredentialsHelper, credentialTypes } from '../../test/harness';
import type { Contender, SandboxInfo, WorkResult, WorkSpec } from '../lib/work';
import { HELPER_NODE_TYPE, HelperOnlyNode } from './helper-node';

const NODE_TYPE = `${PACKAGE}.zohoSalesIq`;

/** Our node's parameters for a piece of work; per-item values come from the input item by expression. */
export function nodeParameters(spec: WorkSpec): { parameters: INodeParameters; input?: IDataObject[] } {
	switch (spec.kind) {
		case 'chats':
			return {
				parameters: {
					resource: 'chat',
					operation: 'getAll',
					returnAll: spec.limit === undefined,
					...(spec.limit !== undefined ? { limit: spec.limit } : {}),
				},
			};
		case 'visitors':
			return {
				parameters: {
					resource: 'visitor',
					operation: 'getAll',
					viewId: spec.viewId,
					returnAll: spec.limit === undefined,
					...(spec.limit !== undefined ? { limit: spec.limit } : {}),
				},
			};
		case 'transcripts':
			return {
				parameters: { resource: 'transcript', operation: 'get', chatId: '={{ $json.chatId }}', returnAll: true },
				input: spec.input,
			};
		case 'attachments':
			return {
				parameters: {
					resource: 'attachment',
					operation: 'download',
					chatId: '={{ $json.chatId }}',
					attachmentUrl: '={{ $json.attachmentUrl }}',
					binaryPropertyName: 'data',
				},
				input: spec.input,
			};
		case 'empty':
			return { parameters: {} };
	}
}

function helperParameters(spec: WorkSpec): { parameters: INodeParameters; input?: IDataObject[] } {
	switch (spec.kind) {
		case 'chats':
			return { parameters: { work: 'chats', limit: spec.limit ?? 0 } };
		case 'visitors':
			return { parameters: { work: 'visitors', viewId: spec.viewId, limit: spec.limit ?? 0 } };
		case 'transcripts':
			return { parameters: { work: 'transcripts', chatId: '={{ $json.chatId }}', concurrency: spec.concurrency ?? 1 }, input: spec.input };
		case 'attachments':
			return {
				parameters: {
					work: 'attachments',
					chatId: '={{ $json.chatId }}',
					attachmentUrl: '={{ $json.attachmentUrl }}',
					concurrency: spec.concurrency ?? 1,
				},
				input: spec.input,
			};
		case 'empty':
			return { parameters: {} };
	}
}

/** What the items of a run amount to, in the scenario's unit. */
function summarize(spec: WorkSpec, json: IDataObject[], error?: string): WorkResult {
	const result: WorkResult = { units: json.length, n8nItems: json.length, ...(error ? { error } : {}) };
	if (spec.kind === 'chats') result.keys = json.map((c) => String(c.chat_id));
	if (spec.kind === 'visitors') result.keys = json.map((v) => String(v.id));
	if (spec.kind === 'attachments') result.bytes = json.reduce((sum, item) => sum + Number(item.fileSize ?? 0), 0);
	return result;
}

function harnessContender(type: string, parametersFor: typeof nodeParameters): Contender {
	return {
		async prepare() {
			// A running n8n has its node classes loaded before any execution.
			nodeTypes.getByName(type);
		},
		async run(spec: WorkSpec, sandbox: SandboxInfo) {
			const { parameters, input } = parametersFor(spec);
			const result = await runNode({ nodeType: type, parameters, input, credential: credentialFor(sandbox) });
			return summarize(spec, result.json, result.error?.message);
		},
	};
}

registerNodeType(HELPER_NODE_TYPE, () => new HelperOnlyNode());

export const node = harnessContender(NODE_TYPE, nodeParameters);
export const helper = harnessContender(HELPER_NODE_TYPE, helperParameters);

/** An n8n-core execution of a workflow with one node that emits nothing. */
export const empty: Contender = {
	async prepare() {},
	async run(_spec: WorkSpec, sandbox: SandboxInfo) {
		const credentialsHelper = new HarnessCredentialsHelper(credentialTypes);
		credentialsHelper.set('cred-1', credentialFor(sandbox));
		const run = await runWorkflow({
			nodes: [{ id: 'input', name: 'Input', type: 'harness.input', typeVersion: 1, position: [0, 0], parameters: { items: [] } }],
			connections: {},
			startNodeName: 'Input',
			credentialsHelper,
		});
		return { units: 0, ...(run.data.resultData.error ? { error: run.data.resultData.error.message } : {}) };
	},
};
