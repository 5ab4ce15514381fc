/**
 * A bench-only n8n node: the same minimal request loops as the bare client (lib/paging.ts), sent
 * through n8n's own helpers (`httpRequestWithAuthentication` for the API, `httpRequest` for the public
 * download) and wrapped into items the way any n8n node must. Nothing else: no validation, no error
 * mapping, no retries. Running it through the same harness as our node splits A's time into
 * "n8n's share" (this node against the bare client) and "our share" (our node against this one).
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { resolveApiUrl } from '../../nodes/ZohoSalesIq/transport/dataCenters';
import { downloadAttachment, exportChats, exportVisitors, mapPool, transcript, type Json, type Transport } from '../lib/paging';

export const HELPER_NODE_TYPE = 'bench.helperOnly';
const CREDENTIAL = 'zohoSalesIqOAuth2Api';

export class HelperOnlyNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench: n8n HTTP helper only',
		name: 'helperOnly',
		group: ['transform'],
		version: 1,
		description: 'Minimal SalesIQ paging through n8n request helpers',
		defaults: { name: 'Helper Only' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL, required: true }],
		properties: [
			{ displayName: 'Work', name: 'work', type: 'string', default: 'chats' },
			{ displayName: 'Limit', name: 'limit', type: 'number', default: 0 },
			{ displayName: 'View', name: 'viewId', type: 'string', default: '-1' },
			{ displayName: 'Chat ID', name: 'chatId', type: 'string', default: '' },
			{ displayName: 'Attachment URL', name: 'attachmentUrl', type: 'string', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 1 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials(CREDENTIAL);
		const base = `${resolveApiUrl(credentials)}/api/v1/${encodeURIComponent(String(credentials.screenName))}`;
		const transport: Transport = {
			get: async (path, query) => {
				const body = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
					method: 'GET',
					url: base + path,
					qs: query,
					json: true,
				})) as Json;
				if (body.error) throw new Error(`GET ${path}: ${JSON.stringify(body.error)}`);
				return body.data;
			},
			download: async (url) => {
				const body = await this.helpers.httpRequest({ method: 'GET', url, encoding: 'arraybuffer' });
				return Buffer.isBuffer(body) ? body : Buffer.from(body as ArrayBuffer);
			},
		};
		const work = this.getNodeParameter('work', 0) as string;
		const limit = (this.getNodeParameter('limit', 0, 0) as number) || undefined;
		const concurrency = this.getNodeParameter('concurrency', 0, 1) as number;
		const out: INodeExecutionData[] = [];
		const wrap = (json: Json, item: number) => out.push({ json, pairedItem: { item } });

		if (work === 'chats') {
			for (const chat of await exportChats(transport, { limit })) wrap(chat, 0);
		} else if (work === 'visitors') {
			const viewId = this.getNodeParameter('viewId', 0) as string;
			for (const visitor of await exportVisitors(transport, viewId, limit)) wrap(visitor, 0);
		} else if (work === 'transcripts') {
			const perItem = await mapPool(this.getInputData(), concurrency, async (_item, i) =>
				(await transcript(transport, this.getNodeParameter('chatId', i) as string)).filter((entry) => entry.time !== undefined),
			);
			perItem.forEach((entries, i) => entries.forEach((entry) => wrap(entry, i)));
		} else if (work === 'attachments') {
			const perItem = await mapPool(this.getInputData(), concurrency, async (_item, i): Promise<INodeExecutionData> => {
				const chatId = this.getNodeParameter('chatId', i) as string;
				const attachmentUrl = this.getNodeParameter('attachmentUrl', i) as string;
				const file = await downloadAttachment(transport, chatId, attachmentUrl);
				const binary = await this.helpers.prepareBinaryData(file.bytes, attachmentUrl.split('/').pop());
				return { json: { chatId, fileSize: file.bytes.length }, binary: { data: binary }, pairedItem: { item: i } };
			});
			out.push(...perItem);
		}
		return [out];
	}
}
