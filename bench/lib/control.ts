/**
 * The sandbox's `/__sandbox/` control routes, through node:http only, so that a worker measuring
 * its memory loads nothing a contender would not load anyway.
 */
import * as http from 'node:http';

function call(base: string, method: string, path: string): Promise<unknown> {
	const url = new URL(`/__sandbox${path}`, base);
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${url.pathname}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
				else resolve(text ? JSON.parse(text) : undefined);
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

export async function clearRequests(base: string): Promise<void> {
	await call(base, 'DELETE', '/requests');
}

/** Every API, accounts and download request since the last clear, as "METHOD /path?query". */
export async function readRequests(base: string): Promise<string[]> {
	const log = (await call(base, 'GET', '/requests')) as Array<{ method: string; path: string; query: Record<string, string> }>;
	return log.map((r) => {
		const query = new URLSearchParams(r.query).toString();
		return `${r.method} ${r.path}${query ? `?${query}` : ''}`;
	});
}

export async function datasetHead(base: string, chats: number): Promise<{ chats: Array<{ chat_id: string; chatinitiated_time: string }>; counts: Record<string, number> }> {
	return (await call(base, 'GET', `/dataset?chats=${chats}&visitors=0`)) as never;
}
