import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { ZohoSalesIqOAuth2Api } from '../../credentials/ZohoSalesIqOAuth2Api.credentials';
import { HarnessCredentialsHelper } from './credentials-helper';
import { INPUT_NODE_TYPE, PACKAGE, nodeTypes } from './node-types';

export { registerNodeType, nodeTypes, PACKAGE } from './node-types';
export { HarnessCredentialsHelper } from './credentials-helper';

export const CREDENTIAL_TYPE = 'zohoSalesIqOAuth2Api';
const CREDENTIAL_ID = 'cred-1';
const CREDENTIAL_NAME = 'Zoho SalesIQ (test)';

/** The credential types the harness knows: ours, and n8n's OAuth2 base type it extends. */
export const credentialTypes = {
	[CREDENTIAL_TYPE]: new ZohoSalesIqOAuth2Api(),
	oAuth2Api: { name: 'oAuth2Api', displayName: 'OAuth2 API', properties: [] },
};

/** What a test sandbox offers the harness (the SalesIQ sandbox or a smaller test server). */
export interface CredentialSource {
	url: string;
	accountsUrl?: string;
	apiUrl?: string;
	clientId: string;
	clientSecret: string;
	screenName?: string;
	accessToken: string;
	refreshToken: string;
}

/** A connected Custom-data-center credential pointing at a local server. */
export function credentialFor(
	source: CredentialSource,
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		dataCenter: 'custom',
		accountsUrl: source.accountsUrl ?? source.url,
		apiUrl: source.apiUrl ?? source.url,
		screenName: source.screenName ?? 'zylker',
		clientId: source.clientId,
		clientSecret: source.clientSecret,
		oauthTokenData: {
			access_token: source.accessToken,
			refresh_token: source.refreshToken,
			token_type: 'Bearer',
			expires_in: 3600,
		},
		...overrides,
	};
}

export interface RunResult {
	/** Items of the node under test (main output 0). */
	items: INodeExecutionData[];
	/** `items` mapped to their json. */
	json: IDataObject[];
	/** The error the run ended with, if any. */
	error?: ExecutionError;
	/** Every oauthTokenData n8n persisted after a refresh. */
	tokenUpdates: IDataObject[];
	/** The credential data as stored after the run. */
	credential: ICredentialDataDecryptedObject;
	run: IRun;
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	credential: ICredentialDataDecryptedObject;
	/** JSON of the input items; one empty item by default. */
	input?: IDataObject[];
	continueOnFail?: boolean;
	/** Node type; the Zoho SalesIQ node by default. */
	nodeType?: string;
	typeVersion?: number;
	/** Reuse a credentials helper across runs (to assert state kept between executions). */
	credentialsHelper?: HarnessCredentialsHelper;
}

/** Runs Input -> node under test through n8n-core's WorkflowExecute and returns what the node produced. */
export async function runNode(options: RunNodeOptions): Promise<RunResult> {
	const helper = options.credentialsHelper ?? new HarnessCredentialsHelper(credentialTypes);
	helper.set(CREDENTIAL_ID, options.credential);
	const nodeName = 'Zoho SalesIQ';
	const nodes: INode[] = [
		{
			id: 'input',
			name: 'Input',
			type: INPUT_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: (options.input ?? [{}]) as unknown as INodeParameters['items'] },
		},
		{
			id: 'node',
			name: nodeName,
			type: options.nodeType ?? `${PACKAGE}.zohoSalesIq`,
			typeVersion: options.typeVersion ?? 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const connections = { Input: { main: [[{ node: nodeName, type: 'main' as const, index: 0 }]] } };
	const run = await runWorkflow({ nodes, connections, startNodeName: 'Input', credentialsHelper: helper });
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const items = taskData?.data?.main?.[0] ?? [];
	return {
		items,
		json: items.map((item) => item.json),
		error: run.data.resultData.error ?? taskData?.error,
		tokenUpdates: helper.tokenUpdates,
		credential: helper.current(CREDENTIAL_ID),
		run,
	};
}

export interface RunWorkflowOptions {
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	startNodeName: string;
	credentialsHelper: HarnessCredentialsHelper;
	staticData?: IDataObject;
}

let executionCounter = 0;

/** A new execution id for the harness. */
export function nextExecutionId(): string {
	return `harness-${++executionCounter}`;
}

/** n8n's public URLs (REST, webhooks, forms, MCP) under one origin. */
export function baseUrls(origin: string) {
	return {
		restApiUrl: `${origin}/rest`,
		instanceBaseUrl: `${origin}/`,
		webhookBaseUrl: `${origin}/webhook`,
		webhookWaitingBaseUrl: `${origin}/webhook-waiting`,
		webhookTestBaseUrl: `${origin}/webhook-test`,
		formBaseUrl: `${origin}/form`,
		formWaitingBaseUrl: `${origin}/form-waiting`,
		formTestBaseUrl: `${origin}/form-test`,
		mcpBaseUrl: `${origin}/mcp`,
		mcpTestBaseUrl: `${origin}/mcp-test`,
	};
}

/** n8n's per-execution additional data, with the harness credential store and loopback URLs. */
export function additionalDataFor(
	credentialsHelper: HarnessCredentialsHelper,
	executionId: string,
	workflowData: IWorkflowBase,
	mode: WorkflowExecuteMode = 'manual',
	origin = 'http://127.0.0.1:5678',
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
		executionId,
		currentNodeExecutionIndex: 0,
		...baseUrls(origin),
		variables: {},
		logAiEvent: () => undefined,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs any workflow through WorkflowExecute with the harness credential store. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<IRun> {
	const executionId = nextExecutionId();
	const workflowData: IWorkflowBase = {
		id: 'harness-workflow',
		name: 'Harness',
		active: false,
		isArchived: false,
		nodes: options.nodes,
		connections: options.connections,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		nodeTypes,
		staticData: options.staticData,
		settings: {},
	});
	const additionalData = additionalDataFor(options.credentialsHelper, executionId, workflowData);
	const startNode = workflow.getNode(options.startNodeName) ?? undefined;
	return await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode });
}

export interface ListSearchOptions {
	/** The node's parameters, as the editor sends them with the request (the Options collection, ...). */
	parameters: INodeParameters;
	credential: ICredentialDataDecryptedObject;
	/** The node's `methods.listSearch` method. */
	method: string;
	filter?: string;
	paginationToken?: string;
	credentialsHelper?: HarnessCredentialsHelper;
}

/** Calls a resource locator's list search as the editor does: n8n-core's LoadOptionsContext with the harness credential. */
export async function runListSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const helper = options.credentialsHelper ?? new HarnessCredentialsHelper(credentialTypes);
	helper.set(CREDENTIAL_ID, options.credential);
	const node: INode = {
		id: 'node',
		name: 'Zoho SalesIQ',
		type: `${PACKAGE}.zohoSalesIq`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
	};
	const workflow = new Workflow({ id: 'harness-workflow', nodes: [node], connections: {}, active: false, nodeTypes, settings: {} });
	const workflowData = { id: workflow.id, name: 'Harness', nodes: [node], connections: {}, settings: {} } as unknown as IWorkflowBase;
	const additionalData = additionalDataFor(helper, nextExecutionId(), workflowData);
	additionalData.currentNodeParameters = options.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, `parameters.${options.method}`);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, 1);
	const search = nodeType.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`the node has no list search "${options.method}"`);
	return await search.call(context, options.filter, options.paginationToken);
}
