/**
 * AI agents through MCP, in a real `n8n start`: a workflow whose MCP Server Trigger has two "Zoho SalesIQ Tool"
 * nodes connected (Chat Get Many with the limit from `$fromAI`, Transcript Get with the chat ID from `$fromAI`).
 * A real MCP client (`@modelcontextprotocol/sdk`) connects over Streamable HTTP, lists the tools as an agent sees
 * them (names, descriptions, input schemas), calls Chat Get Many, then Transcript Get with a chat ID from that
 * answer, and gets the sandbox's data. Each tool's description is the node's text for that operation (what it returns,
 * what its inputs mean); the inputs' own descriptions come from the workflow's `$fromAI` calls.
 *
 * n8n 2.41.1 and 1.123.81 both give every node that sets `usableAsTool` its "… Tool" variant, community nodes included,
 * with no setting; both run this file (`npm run test:e2e`, `npm run test:e2e:v1`).
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { registry } from '../../nodes/ZohoSalesIq/actions/registry';
import { startSandbox, type Sandbox } from '../sandbox';
import { CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, NODE_TYPE, sandboxCredential } from './lib/fixtures';
import { createN8n, freePort, type N8n } from './lib/n8n';
import { installPackage } from './lib/package';
import { e2eMajor, packedPackage } from './lib/suite';

const TOOL_TYPE = `${NODE_TYPE}Tool`;
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';
const MCP_PATH = 'zoho-salesiq';
const TRIGGER = 'MCP Server Trigger';
// The node names n8n gives these tools when they are added in the editor; an agent sees them as tool names.
const CHATS_NODE = 'Get many chats in Zoho SalesIQ';
const TRANSCRIPT_NODE = 'Get a chat transcript in Zoho SalesIQ';
const LIMIT_HINT = 'How many chats to return, newest first';
const CHAT_ID_HINT = 'The chat_id of a chat, as returned by the chat list';

/** n8n's tool name for a node: its name with every run of other characters than letters, digits, _ and - as "_". */
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

/** The items a tool answered with: n8n sends them as JSON text. */
function itemsOf(result: ToolResult): Array<Record<string, any>> {
	expect(result.isError).toBeFalsy();
	const text = result.content.map((part) => part.text ?? '').join('');
	const parsed = JSON.parse(text);
	return (Array.isArray(parsed) ? parsed : [parsed]).map((entry) => (entry && typeof entry.json === 'object' ? entry.json : entry));
}

let sandbox: Sandbox;
let n8n: N8n;
let client: Client;

beforeAll(async () => {
	sandbox = await startSandbox({ chats: 20, visitors: 10 });
	const port = await freePort();
	n8n = await createN8n({ name: 'mcp', major: e2eMajor(), port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
	await installPackage(n8n.userFolder, await packedPackage());
	await n8n.importCredentials([sandboxCredential(sandbox)]);
	await n8n.start();
	await n8n.rest.setupOwner();

	const credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	const workflow = await n8n.rest.createWorkflow({
		name: 'E2E MCP server with Zoho SalesIQ tools',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER,
				type: MCP_TRIGGER_TYPE,
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { path: MCP_PATH },
			},
			{
				id: randomUUID(),
				name: CHATS_NODE,
				type: TOOL_TYPE,
				typeVersion: 1,
				position: [-120, 240],
				parameters: {
					resource: 'chat',
					operation: 'getAll',
					limit: `={{ $fromAI('limit', '${LIMIT_HINT}', 'number') }}`,
				},
				credentials,
			},
			{
				id: randomUUID(),
				name: TRANSCRIPT_NODE,
				type: TOOL_TYPE,
				typeVersion: 1,
				position: [120, 240],
				parameters: {
					resource: 'transcript',
					operation: 'get',
					// The Chat ID locator "By ID", filled by the agent, as the editor stores it.
					chatId: { __rl: true, mode: 'id', value: `={{ $fromAI('chat_id', '${CHAT_ID_HINT}', 'string') }}` },
					returnAll: true,
					options: { format: 'text' },
				},
				credentials,
			},
		],
		connections: {
			[CHATS_NODE]: { ai_tool: [[{ node: TRIGGER, type: 'ai_tool', index: 0 }]] },
			[TRANSCRIPT_NODE]: { ai_tool: [[{ node: TRIGGER, type: 'ai_tool', index: 0 }]] },
		},
	});
	await n8n.rest.activateWorkflow(workflow.id);

	client = new Client({ name: 'e2e-agent', version: '1.0.0' });
	await client.connect(new StreamableHTTPClientTransport(new URL(`${n8n.baseUrl}/mcp/${MCP_PATH}`)));
}, 240_000);

afterAll(async () => {
	await client?.close();
	await n8n?.dispose();
	await sandbox?.stop();
});

describe('Zoho SalesIQ as tools of an MCP server', () => {
	it('n8n offers the "Zoho SalesIQ Tool" variant of the community node', async () => {
		const types = await n8n.rest.nodeTypes();
		const tool = types.find((type) => type.name === TOOL_TYPE);
		expect(tool).toEqual(expect.objectContaining({ displayName: 'Zoho SalesIQ Tool', outputs: ['ai_tool'] }));
		// The node brings its own per-operation Description, so n8n adds no "Set Automatically" switch.
		expect(tool!.properties.some((p: { name: string }) => p.name === 'descriptionType')).toBe(false);
		expect(types.some((type) => type.name === MCP_TRIGGER_TYPE)).toBe(true);
	});

	it('lists both tools with a description and an input schema an agent can fill', async () => {
		const { tools } = await client.listTools();
		expect(tools.map((tool) => tool.name).sort()).toEqual([toolName(CHATS_NODE), toolName(TRANSCRIPT_NODE)].sort());
		const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));

		// Each tool: the node's text for its operation (not n8n's generic "Get many chats in Zoho SalesIQ"), and one
		// required input, described by the workflow's $fromAI call.
		const expected = [
			{ node: CHATS_NODE, text: registry.chat.operations.getAll.option.toolDescription, input: 'limit', type: 'number', hint: LIMIT_HINT },
			{ node: TRANSCRIPT_NODE, text: registry.transcript.operations.get.option.toolDescription, input: 'chat_id', type: 'string', hint: CHAT_ID_HINT },
		];
		for (const { node, text, input, type, hint } of expected) {
			const tool = byName[toolName(node)];
			expect(tool.description).toBe(text);
			expect(tool.inputSchema).toEqual(
				expect.objectContaining({ type: 'object', properties: { [input]: expect.objectContaining({ type, description: hint }) }, required: [input] }),
			);
		}
	});

	it('calls Chat Get Many, then Transcript Get with a chat ID from the first answer, and gets the sandbox data', async () => {
		sandbox.clearRequests();
		const chats = itemsOf((await client.callTool({ name: toolName(CHATS_NODE), arguments: { limit: 5 } })) as ToolResult);
		expect(chats.map((chat) => chat.chat_id)).toEqual(sandbox.dataset.chats.slice(0, 5).map((chat) => chat.chat_id));
		expect(chats[0]).toEqual(sandbox.dataset.chatById(chats[0].chat_id));

		// An agent asks for the transcript of a chat that was answered (a missed chat has none).
		const answered = chats.find((chat) => !chat.missed_time);
		expect(answered).toBeDefined();
		const chatId = String(answered!.chat_id);
		const [transcript] = itemsOf((await client.callTool({ name: toolName(TRANSCRIPT_NODE), arguments: { chat_id: chatId } })) as ToolResult);

		const entries = sandbox.dataset.transcriptOf(chatId)!;
		const header = entries[0] as { visitor_name: string; question: string };
		const messages = entries.slice(1) as Array<{ dname: string; msg: unknown }>;
		expect(transcript).toEqual(
			expect.objectContaining({ chatId, visitorName: header.visitor_name, question: header.question, messageCount: messages.length }),
		);
		const firstText = messages.find((m) => typeof m.msg === 'string')!;
		expect(transcript.conversation).toContain(`${firstText.dname}: ${firstText.msg}`);

		// Both answers came from the SalesIQ API, with the credential's token.
		const api = sandbox.requests().filter((r) => r.path.startsWith(`/api/v1/${sandbox.screenName}/`));
		expect(api.some((r) => r.method === 'GET' && r.path === `/api/v1/${sandbox.screenName}/chats`)).toBe(true);
		expect(api.some((r) => r.method === 'GET' && r.path === `/api/v1/${sandbox.screenName}/chats/${chatId}/transcript`)).toBe(true);
	});
});
