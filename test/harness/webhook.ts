/**
 * Runs a webhook trigger in-process the way n8n 2.41 does, with n8n-core's real HookContext and
 * WebhookContext, a real Workflow (its static data persists across calls) and the harness
 * credentials helper (real OAuth2 signing and refresh).
 *
 * A local HTTP server on 127.0.0.1 stands in for n8n's webhook server: it reads the raw body as
 * n8n's body parser does (`req.rawBody` is a Buffer, JSON is parsed into `req.body`), routes each
 * request by method and path to the node's registered webhook, calls the node's `webhook()` and
 * writes the answer the node asked for. So a sandbox's HEAD check and its signed deliveries travel
 * over real HTTP into the node.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WebhookSetupMethodNames,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { additionalDataFor, baseUrls, CREDENTIAL_TYPE, credentialTypes, HarnessCredentialsHelper, nodeTypes, PACKAGE } from '.';

const CREDENTIAL_ID = 'cred-1';
const CREDENTIAL_NAME = 'Zoho SalesIQ (test)';
const NODE_NAME = 'Zoho SalesIQ Trigger';
/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB): n8n refuses larger bodies before any node sees them. */
export const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

/** One request the webhook server received, and what became of it. */
export interface WebhookCall {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	/** The raw body as received. */
	body: string;
	/** Name of the node webhook that handled it ('default', 'setup'), if any matched. */
	webhookName?: string;
	status: number;
	responseBody: string;
	/** What the node returned to start an execution; undefined means no execution started. */
	workflowData?: INodeExecutionData[][];
	/** An error the node threw while handling the request. */
	error?: Error;
}

export interface TriggerHarnessOptions {
	parameters: INodeParameters;
	credential: ICredentialDataDecryptedObject;
	credentialsHelper?: HarnessCredentialsHelper;
	/** Node type; the Zoho SalesIQ Trigger by default. */
	nodeType?: string;
	/** Origin the node announces in its webhook URLs instead of the local server's (e.g. an unreachable one). */
	announcedOrigin?: string;
}

export interface LifecycleResult {
	/** What checkExists answered. */
	existed: boolean;
	/** Whether create ran (it runs when checkExists answered false). */
	created: boolean;
}

interface Registered {
	description: IWebhookDescription;
	data: IWebhookData;
}

function readRaw(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) tooLarge = true;
			if (!tooLarge) chunks.push(chunk);
		});
		req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function send(res: ServerResponse, status: number, body: unknown): void {
	if (res.headersSent || res.writableEnded) return;
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

/** Captures what is written to a response, so tests can read the status and body the node chose. */
function recordResponse(res: ServerResponse): () => string {
	const chunks: Buffer[] = [];
	const write = res.write.bind(res);
	const end = res.end.bind(res);
	const keep = (chunk: unknown) => {
		if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
		else if (Buffer.isBuffer(chunk)) chunks.push(chunk);
	};
	res.write = ((chunk: unknown, ...rest: unknown[]) => {
		keep(chunk);
		return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
	}) as ServerResponse['write'];
	res.end = ((chunk?: unknown, ...rest: unknown[]) => {
		if (typeof chunk !== 'function') keep(chunk);
		return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
	}) as ServerResponse['end'];
	return () => Buffer.concat(chunks).toString('utf8');
}

export class TriggerHarness {
	readonly calls: WebhookCall[] = [];
	readonly credentialsHelper: HarnessCredentialsHelper;
	readonly node: INode;
	readonly workflow: Workflow;
	/** Origin of the local webhook server, e.g. http://127.0.0.1:41234. */
	serverUrl = '';

	private server?: Server;
	private readonly registered = new Map<string, Registered>();
	private readonly additionalData: IWorkflowExecuteAdditionalData;
	private executionCounter = 0;

	constructor(private readonly options: TriggerHarnessOptions) {
		this.credentialsHelper = options.credentialsHelper ?? new HarnessCredentialsHelper(credentialTypes);
		this.credentialsHelper.set(CREDENTIAL_ID, options.credential);
		this.node = {
			id: 'trigger',
			name: NODE_NAME,
			type: options.nodeType ?? `${PACKAGE}.zohoSalesIqTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: options.parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
		};
		this.workflow = new Workflow({
			id: 'harness-trigger-workflow',
			name: 'Harness trigger',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: {},
			settings: {},
		});
		// The real origin is known once the server listens (start()).
		this.additionalData = this.baseAdditionalData('http://127.0.0.1');
	}

	/** Starts the local webhook server. */
	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			this.onRequest(req, res).catch((error: unknown) => send(res, 500, { message: (error as Error).message }));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.serverUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		Object.assign(this.additionalData, baseUrls(this.options.announcedOrigin ?? this.serverUrl));
		return this;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	/** The production URL of a node webhook, as the node sees it. */
	webhookUrl(name: 'default' | 'setup' = 'default'): string {
		const description = this.descriptions().find((d) => d.name === name);
		if (!description) throw new Error(`The node has no webhook named ${name}`);
		return NodeHelpers.getNodeWebhookUrl(this.additionalData.webhookBaseUrl, this.workflow.id, this.node, description.path, false);
	}

	/** The node's static data (the object n8n persists for the node). */
	staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	setParameters(parameters: INodeParameters): void {
		this.node.parameters = parameters;
	}

	/** Calls with a started execution, i.e. requests for which the node returned workflowData. */
	executions(): WebhookCall[] {
		return this.calls.filter((call) => call.workflowData !== undefined);
	}

	/** Emitted items of every started execution, in order. */
	emitted(): INodeExecutionData[] {
		return this.executions().flatMap((call) => call.workflowData?.[0] ?? []);
	}

	/**
	 * What n8n does on activation: for each webhook of the node, in description order, make it
	 * live and then run its checkExists, and create when that answered false.
	 */
	async activate(): Promise<LifecycleResult> {
		let result: LifecycleResult = { existed: true, created: false };
		for (const description of this.descriptions()) {
			this.register(description);
			if (this.lifecycleMethod(description.name, 'checkExists') === undefined) continue;
			const existed = await this.runLifecycle(description.name, 'checkExists', 'trigger', 'activate');
			if (!existed) await this.runLifecycle(description.name, 'create', 'trigger', 'activate');
			result = { existed, created: !existed };
		}
		return result;
	}

	/** What n8n does on deactivation: delete, then stop routing the webhook. */
	async deactivate(): Promise<void> {
		for (const description of this.descriptions()) {
			if (this.lifecycleMethod(description.name, 'delete') !== undefined) {
				await this.runLifecycle(description.name, 'delete', 'internal', 'update');
			}
			this.registered.delete(this.routeKey(description));
		}
	}

	/** Runs one lifecycle method of the default webhook; every webhook of the node is live meanwhile. */
	async checkExists(): Promise<boolean> {
		this.registerAll();
		return await this.runLifecycle('default', 'checkExists', 'trigger', 'activate');
	}

	async create(): Promise<boolean> {
		this.registerAll();
		return await this.runLifecycle('default', 'create', 'trigger', 'activate');
	}

	async delete(): Promise<boolean> {
		return await this.runLifecycle('default', 'delete', 'internal', 'update');
	}

	private nodeType(): INodeType {
		return nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
	}

	private descriptions(): IWebhookDescription[] {
		return this.nodeType().description.webhooks ?? [];
	}

	private lifecycleMethod(name: string, method: WebhookSetupMethodNames) {
		return this.nodeType().webhookMethods?.[name as 'default']?.[method];
	}

	private routeKey(description: IWebhookDescription): string {
		const path = NodeHelpers.getNodeWebhookPath(this.workflow.id, this.node, description.path, false, false);
		return `${String(description.httpMethod).toUpperCase()} /webhook/${path}`;
	}

	private webhookData(description: IWebhookDescription): IWebhookData {
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: this.node.name,
			path: NodeHelpers.getNodeWebhookPath(this.workflow.id, this.node, description.path, false, false),
			webhookDescription: description,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: this.additionalData,
			webhookId: this.node.webhookId,
		};
	}

	private register(description: IWebhookDescription): void {
		this.registered.set(this.routeKey(description), { description, data: this.webhookData(description) });
	}

	private registerAll(): void {
		for (const description of this.descriptions()) this.register(description);
	}

	private async runLifecycle(
		name: string,
		method: WebhookSetupMethodNames,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
	): Promise<boolean> {
		const description = this.descriptions().find((d) => d.name === name);
		const fn = this.lifecycleMethod(name, method);
		if (!description || !fn) throw new Error(`The node has no ${method} for its ${name} webhook`);
		const context = new HookContext(this.workflow, this.node, this.additionalData, mode, activation, this.webhookData(description));
		return await fn.call(context);
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.serverUrl);
		const method = (req.method ?? 'GET').toUpperCase();
		const readBody = recordResponse(res);
		const raw = await readRaw(req, N8N_PAYLOAD_SIZE_MAX);
		const call: WebhookCall = {
			method,
			path: url.pathname,
			headers: req.headers,
			body: raw === 'too-large' ? '' : raw.toString('utf8'),
			status: 0,
			responseBody: '',
		};
		this.calls.push(call);
		res.on('finish', () => {
			call.status = res.statusCode;
			call.responseBody = readBody();
		});

		const route = this.registered.get(`${method} ${url.pathname.replace(/\/+$/, '')}`);
		if (!route) {
			send(res, 404, { code: 404, message: `The requested webhook "${method} ${url.pathname}" is not registered.` });
			return;
		}
		call.webhookName = route.description.name;
		if (raw === 'too-large') {
			send(res, 413, { message: 'request entity too large' });
			return;
		}

		// As n8n's body parser: the raw bytes stay on the request, JSON is parsed from them.
		const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		let body: unknown = {};
		if (raw.length > 0 && contentType === 'application/json') {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				send(res, 422, { message: 'Failed to parse request body' });
				return;
			}
		}
		Object.assign(req, { rawBody: raw, body, contentType, query: Object.fromEntries(url.searchParams), params: {} });

		const additionalData = {
			...this.additionalData,
			executionId: `harness-webhook-${++this.executionCounter}`,
			httpRequest: req,
			httpResponse: res,
		} as unknown as IWorkflowExecuteAdditionalData;
		const context = new WebhookContext(this.workflow, this.node, additionalData, 'webhook', route.data, [], null);

		let result: IWebhookResponseData;
		try {
			result = await this.nodeType().webhook!.call(context);
		} catch (error) {
			call.error = error as Error;
			send(res, 500, { code: 0, message: 'Error in workflow' });
			return;
		}
		// The same order of checks as n8n's executeWebhook with responseMode onReceived.
		if (result.noWebhookResponse === true) {
			if (!res.writableEnded) {
				call.error = new Error('The node claimed to have answered but did not end the response');
				res.end();
			}
		} else if (result.workflowData === undefined) {
			send(res, 200, result.webhookResponse ?? { message: 'Webhook call received' });
		} else {
			send(res, 200, { message: 'Workflow was started' });
		}
		if (result.workflowData !== undefined) call.workflowData = result.workflowData;
	}

	private baseAdditionalData(origin: string): IWorkflowExecuteAdditionalData {
		const workflowData = {
			id: this.workflow.id,
			name: this.workflow.name,
			active: true,
			isArchived: false,
			nodes: [this.node],
			connections: {},
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		} as unknown as IWorkflowBase;
		return additionalDataFor(this.credentialsHelper, 'harness-trigger', workflowData, 'webhook', origin);
	}
}

/** Builds a trigger harness and starts its webhook server. */
export async function startTrigger(options: TriggerHarnessOptions): Promise<TriggerHarness> {
	return await new TriggerHarness(options).start();
}
