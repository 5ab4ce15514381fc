/** Names, ids and builders shared by the e2e files (and the dev environment). */
import { randomUUID } from 'node:crypto';

import type { SandboxInfo } from '../../sandbox';
import type { CredentialImport } from './n8n';

export const PACKAGE_NAME = 'n8n-nodes-zoho-salesiq';
export const NODE_TYPE = `${PACKAGE_NAME}.zohoSalesIq`;
export const TRIGGER_TYPE = `${PACKAGE_NAME}.zohoSalesIqTrigger`;
export const CREDENTIAL_TYPE = 'zohoSalesIqOAuth2Api';

export const CREDENTIAL_ID = 'zsiqSandboxCred1';
export const CREDENTIAL_NAME = 'Zoho SalesIQ (sandbox)';

/** The credential fields a user fills in for the sandbox (Custom data center). */
export function sandboxCredentialFields(sandbox: SandboxInfo): Record<string, string> {
	return {
		dataCenter: 'custom',
		accountsUrl: sandbox.accountsUrl,
		apiUrl: sandbox.apiUrl,
		screenName: sandbox.screenName,
		clientId: sandbox.clientId,
		clientSecret: sandbox.clientSecret,
	};
}

/** A pre-connected credential for `import:credentials`, holding the sandbox's pre-issued tokens. */
export function sandboxCredential(
	sandbox: SandboxInfo,
	overrides: { id?: string; name?: string; accessToken?: string } = {},
): CredentialImport {
	return {
		id: overrides.id ?? CREDENTIAL_ID,
		name: overrides.name ?? CREDENTIAL_NAME,
		type: CREDENTIAL_TYPE,
		data: {
			...sandboxCredentialFields(sandbox),
			oauthTokenData: {
				access_token: overrides.accessToken ?? sandbox.accessToken,
				refresh_token: sandbox.refreshToken,
				token_type: 'Bearer',
				expires_in: 3600,
			},
		},
	};
}

export interface NodeSpec {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	typeVersion?: number;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

/**
 * A workflow whose manual trigger "Start" feeds several independent branches; each branch is a chain
 * "node 1 -> node 2 …". One `execute` then covers several operations. Branch i sits on row i, so
 * n8n's v1 execution order runs the branches top to bottom.
 */
export function branchWorkflow(id: string, name: string, branches: NodeSpec[][]): Record<string, any> {
	if (id.length !== 16) throw new Error(`workflow id "${id}" must have 16 characters`);
	const start: NodeSpec = { name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} };
	const connections: Record<string, any> = {};
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	const nodes: Array<Record<string, unknown>> = [{ id: `${id}-n0`, typeVersion: 1, position: [0, 0], ...start }];
	branches.forEach((branch, row) => {
		branch.forEach((node, column) => {
			link(column === 0 ? start.name : branch[column - 1].name, node.name);
			nodes.push({ id: `${id}-n${nodes.length}`, typeVersion: 1, position: [(column + 1) * 240, row * 200], ...node });
		});
	});
	return { id, name, active: false, settings: { executionOrder: 'v1' }, connections, nodes };
}

/** A node of our package, using the sandbox credential. */
export function salesIqNode(name: string, parameters: Record<string, unknown>, credentialId = CREDENTIAL_ID): NodeSpec {
	return {
		name,
		type: NODE_TYPE,
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: CREDENTIAL_NAME } },
	};
}

/** A workflow holding one trigger node of this package with the sandbox credential, as n8n's REST API takes it. */
export function triggerWorkflow(
	name: string,
	node: { name: string; type: string; parameters: Record<string, unknown>; webhookId?: string },
): Record<string, any> {
	return {
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: randomUUID(),
				name: node.name,
				type: node.type,
				typeVersion: 1,
				position: [0, 0],
				...(node.webhookId !== undefined ? { webhookId: node.webhookId } : {}),
				parameters: node.parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			},
		],
	};
}
