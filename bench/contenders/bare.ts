/**
 * Contender B: the physical floor. A bare undici client with a keep-alive connection, sending the
 * same requests as the node (same endpoints, same page sizes, one request at a time) and keeping the
 * parsed JSON. No n8n, no item wrapping.
 */
import { Agent, request } from 'undici';

import { downloadAttachment, exportChats, exportVisitors, mapPool, transcript, type Json, type Transport } from '../lib/paging';
import type { Contender, SandboxInfo, WorkSpec, WorkResult } from '../lib/work';

class UndiciTransport implements Transport {
	private readonly agent = new Agent({ keepAliveTimeout: 30_000 });
	private readonly base: string;
	private readonly auth: string;

	constructor(sandbox: SandboxInfo) {
		this.base = `${sandbox.url.replace(/\/+$/, '')}/api/v1/${encodeURIComponent(sandbox.screenName)}`;
		this.auth = `Bearer ${sandbox.accessToken}`;
	}

	async get(path: string, query: Record<string, string | number>): Promise<unknown> {
		let url = this.base + path;
		const keys = Object.keys(query);
		if (keys.length) url += `?${keys.map((k) => `${k}=${encodeURIComponent(String(query[k]))}`).join('&')}`;
		const res = await request(url, { dispatcher: this.agent, headers: { authorization: this.auth } });
		const body = (await res.body.json()) as Json;
		if (res.statusCode !== 200 || body.error) throw new Error(`GET ${path}: HTTP ${res.statusCode} ${JSON.stringify(body).slice(0, 200)}`);
		return body.data;
	}

	async download(url: string): Promise<Buffer> {
		const res = await request(url, { dispatcher: this.agent });
		const bytes = Buffer.from(await res.body.arrayBuffer());
		if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode}`);
		return bytes;
	}

	close(): Promise<void> {
		return this.agent.close();
	}
}

export const bare: Contender = {
	async prepare() {},
	async run(spec: WorkSpec, sandbox: SandboxInfo): Promise<WorkResult> {
		const t = new UndiciTransport(sandbox);
		try {
			switch (spec.kind) {
				case 'chats': {
					const chats = await exportChats(t, { limit: spec.limit });
					return { units: chats.length, keys: chats.map((c) => String(c.chat_id)) };
				}
				case 'transcripts': {
					const counts = await mapPool(spec.input, spec.concurrency ?? 1, async (item) => {
						const entries = await transcript(t, String(item.chatId));
						return entries.filter((e) => e.time !== undefined).length;
					});
					return { units: counts.reduce((a, b) => a + b, 0) };
				}
				case 'visitors': {
					const visitors = await exportVisitors(t, spec.viewId, spec.limit);
					return { units: visitors.length, keys: visitors.map((v) => String(v.id)) };
				}
				case 'attachments': {
					const files = await mapPool(spec.input, spec.concurrency ?? 1, async (item) =>
						(await downloadAttachment(t, String(item.chatId), String(item.attachmentUrl))).bytes,
					);
					return { units: files.length, bytes: files.reduce((sum, f) => sum + f.length, 0) };
				}
				case 'empty':
					return { units: 0 };
			}
		} finally {
			await t.close();
		}
	},
};

/** The bare baseline: the same process with undici loaded and nothing run. */
export const bareEmpty: Contender = {
	async prepare() {},
	async run() {
		return { units: 0 };
	},
};
