/**
 * Runs a polling trigger in-process the way n8n 2.41 does: n8n-core's real PollTriggerExecutor and
 * PollContext, a real Workflow, and the harness credentials helper (real OAuth2 signing and refresh).
 *
 * It also keeps n8n's rule for static data: n8n writes a workflow's static data to its database at
 * activation and when a poll starts an execution, not after a poll that returned nothing or failed.
 * `stored` is that database copy. A restart (or a deactivation and reactivation) builds a new
 * Workflow from `stored`, so whatever a poll changed in memory without being saved is lost, as in n8n.
 */
import 'reflect-metadata';

import { Container } from '@n8n/di';
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWorkflowBase,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import { additionalDataFor, CREDENTIAL_TYPE, credentialTypes, HarnessCredentialsHelper, nextExecutionId, nodeTypes, PACKAGE, runWorkflow } from '.';

const CREDENTIAL_ID = 'cred-1';
const NODE_NAME = 'Zoho SalesIQ Poll Trigger';

export interface PollHarnessOptions {
	parameters: INodeParameters;
	credential: ICredentialDataDecryptedObject;
	credentialsHelper?: HarnessCredentialsHelper;
	/** The workflow's time zone (n8n's default: America/New_York). */
	timezone?: string;
}

/** What one poll led to: the items of the execution it started, or the error n8n recorded. */
export interface PollOutcome {
	/** JSON of the started execution's items; undefined when no execution started. */
	items?: IDataObject[];
	error?: Error;
}

function copy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export class PollHarness {
	/** Static data as n8n's database holds it. */
	stored: IDataObject = {};
	/** Items of every execution the trigger started, in order. */
	readonly executions: IDataObject[][] = [];
	readonly errors: Error[] = [];
	readonly credentialsHelper: HarnessCredentialsHelper;
	private workflow?: Workflow;
	/** The poll function n8n builds once per activation (one PollContext for every poll). */
	private executor?: (testingTrigger?: boolean) => Promise<void>;
	private outcome: PollOutcome = {};
	private readonly node: INode;

	constructor(private readonly options: PollHarnessOptions) {
		this.credentialsHelper = options.credentialsHelper ?? new HarnessCredentialsHelper(credentialTypes);
		this.credentialsHelper.set(CREDENTIAL_ID, options.credential);
		this.node = {
			id: 'poll-node',
			name: NODE_NAME,
			type: `${PACKAGE}.zohoSalesIqPollTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters,
			credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'Zoho SalesIQ (test)' } },
		};
	}

	/** Every item of every execution so far. */
	get allItems(): IDataObject[] {
		return this.executions.flat();
	}

	/** The node's static data as the running workflow holds it (undefined when not active). */
	get liveStaticData(): IDataObject | undefined {
		return this.workflow?.getStaticData('node', this.node);
	}

	setParameters(parameters: INodeParameters): void {
		this.node.parameters = parameters;
	}

	/** Activates the workflow: n8n polls once at once, then saves the static data. Throws what activation would show. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollOutcome> {
		this.workflow = this.newWorkflow(copy(this.stored));
		this.executor = this.pollFunction(this.workflow, activation);
		const outcome = await this.runPoll(true);
		if (outcome.error) {
			this.deactivate();
			throw outcome.error;
		}
		this.save();
		return outcome;
	}

	/** One scheduled poll of the active workflow. */
	async poll(): Promise<PollOutcome> {
		if (!this.workflow) throw new Error('the workflow is not active');
		return await this.runPoll(false);
	}

	/** Stops the workflow; the next activate() starts from the database copy. */
	deactivate(): void {
		this.workflow = undefined;
		this.executor = undefined;
	}

	/** n8n restarts: the in-memory workflow is gone and activation runs again from the database. */
	async restart(): Promise<PollOutcome> {
		this.deactivate();
		return await this.activate('init');
	}

	/** "Fetch Test Event" in the editor: a manual run through WorkflowExecute; static data is not saved. */
	async manual(): Promise<PollOutcome> {
		const run = await runWorkflow({
			nodes: [{ ...this.node, parameters: copy(this.node.parameters) }],
			connections: {},
			startNodeName: NODE_NAME,
			credentialsHelper: this.credentialsHelper,
			staticData: copy(this.stored),
		});
		const task = run.data.resultData.runData[NODE_NAME]?.[0];
		const error = run.data.resultData.error ?? task?.error;
		if (error) return { error };
		return { items: (task?.data?.main?.[0] ?? []).map((item) => item.json) };
	}

	private newWorkflow(staticData: IDataObject): Workflow {
		return new Workflow({
			id: 'harness-poll-workflow',
			name: 'Harness poll',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
			settings: { timezone: this.options.timezone ?? 'America/New_York' },
		});
	}

	private save(): void {
		const data = copy(this.workflow?.staticData ?? {});
		delete data.__dataChanged;
		this.stored = data;
	}

	private pollFunction(workflow: Workflow, activation: WorkflowActivateMode): (testingTrigger?: boolean) => Promise<void> {
		const workflowData = { id: workflow.id, name: workflow.name, nodes: [this.node], connections: {} } as unknown as IWorkflowBase;
		// n8n builds a poll's additional data without an execution id (one PollContext for the whole activation).
		const additionalData = { ...additionalDataFor(this.credentialsHelper, nextExecutionId(), workflowData, 'trigger'), executionId: undefined };
		const emit = (data: INodeExecutionData[][]) => {
			// n8n saves static data when a poll emits, then starts the execution.
			this.save();
			this.outcome.items = data[0].map((item) => item.json);
			this.executions.push(this.outcome.items);
		};
		const emitError = (error: Error) => {
			this.outcome.error = error;
			this.errors.push(error);
		};
		const context = new PollContext(workflow, this.node, additionalData, 'trigger', activation, emit, emitError);
		return Container.get(PollTriggerExecutor).create(workflow, this.node, context, () => true);
	}

	private async runPoll(testingTrigger: boolean): Promise<PollOutcome> {
		this.outcome = {};
		try {
			await (this.executor as (testingTrigger?: boolean) => Promise<void>)(testingTrigger);
		} catch (error) {
			this.outcome.error = error as Error;
		}
		return this.outcome;
	}
}
