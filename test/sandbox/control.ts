/**
 * Control routes under `/__sandbox/`, for a separate process (n8n, a benchmark) that cannot call
 * the programmatic API. Unauthenticated: the sandbox only listens on 127.0.0.1. Never logged.
 */
import { botControl } from './bots';
import { validateFault } from './faults';
import type { Reply } from './http';
import { json } from './http';
import { liveChatControl } from './live-chats';
import type { Sandbox } from './server';
import type { DeliverOptions } from './webhooks';

const DATASET_DEFAULT_ITEMS = 100;

function parse(body: string): unknown {
	if (body.trim() === '') return {};
	return JSON.parse(body);
}

function object(value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the body must be a JSON object');
	return value as Record<string, unknown>;
}

/** `all` or a non-negative integer; default 100. */
function itemCount(query: URLSearchParams, name: string): number {
	const raw = query.get(name);
	if (raw === null) return DATASET_DEFAULT_ITEMS;
	if (raw === 'all') return Number.POSITIVE_INFINITY;
	if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a number or "all"`);
	return Number(raw);
}

export async function handleControl(sandbox: Sandbox, method: string, path: string, query: URLSearchParams, body: string): Promise<Reply> {
	try {
		return (await route(sandbox, `${method} ${path}`, query, body)) ?? json(404, { error: `no control route ${method} /__sandbox${path}` });
	} catch (error) {
		return json(400, { error: (error as Error).message });
	}
}

async function route(sandbox: Sandbox, key: string, query: URLSearchParams, body: string): Promise<Reply | undefined> {
	const faultId = /^DELETE \/faults\/([^/]+)$/.exec(key);
	if (faultId) {
		return sandbox.removeFault(faultId[1]) ? json(200, { removed: faultId[1] }) : json(404, { error: `no fault ${faultId[1]}` });
	}
	if (/^[A-Z]+ \/bot\//.test(key)) return botControl(sandbox.bots, key, parse(body));
	if (/^[A-Z]+ \/chats\//.test(key)) return liveChatControl(sandbox.live, key, object(parse(body)));
	switch (key) {
		case 'GET /info':
			return json(200, sandbox.info());
		case 'GET /requests':
			return json(200, sandbox.requests(query.get('match') ?? undefined));
		case 'DELETE /requests':
			sandbox.clearRequests();
			return json(200, { cleared: true });
		case 'GET /token-requests':
			return json(200, sandbox.tokenRequests());
		case 'GET /faults':
			return json(200, sandbox.faults());
		case 'POST /faults': {
			const input = parse(body);
			const faults = Array.isArray(input) ? input : [input];
			// Validate all before adding any, so a bad batch changes nothing.
			for (const fault of faults) validateFault(fault);
			return json(200, { ids: faults.map((fault) => sandbox.inject(fault)) });
		}
		case 'DELETE /faults':
			sandbox.clearFaults();
			return json(200, { cleared: true });
		case 'POST /expire-tokens':
			return json(200, { expired: sandbox.expireAccessTokens() });
		case 'POST /revoke-refresh-token': {
			const token = object(parse(body)).token;
			if (typeof token !== 'string') throw new Error('token must be a string');
			return json(200, { revoked: sandbox.revokeRefreshToken(token) });
		}
		case 'POST /advance-time': {
			const ms = object(parse(body)).ms;
			if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0) throw new Error('ms must be an integer >= 0');
			sandbox.advanceTime(ms);
			return json(200, { now: sandbox.now() });
		}
		case 'POST /deny': {
			const deny = object(parse(body)).deny;
			if (typeof deny !== 'boolean') throw new Error('deny must be a boolean');
			sandbox.setDeny(deny);
			return json(200, { deny });
		}
		case 'POST /deliver':
			return json(200, { results: await sandbox.deliverEvent(object(parse(body)) as unknown as DeliverOptions) });
		case 'GET /deliveries':
			return json(200, sandbox.deliveries());
		case 'GET /webhooks':
			return json(200, sandbox.webhooks());
		case 'GET /notifications':
			return json(200, sandbox.sentNotifications());
		case 'POST /add-chats': {
			const input = object(parse(body));
			const n = input.count ?? 1;
			for (const [name, value] of Object.entries({ count: n, atTime: input.atTime, spacingMs: input.spacingMs })) {
				if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
					throw new Error(`${name} must be an integer >= 0`);
				}
			}
			const options = { atTime: input.atTime as number | undefined, spacingMs: input.spacingMs as number | undefined };
			return json(200, { chats: sandbox.addChats(n as number, options) });
		}
		case 'GET /dataset':
			return json(200, datasetSummary(sandbox, itemCount(query, 'chats'), itemCount(query, 'visitors')));
		default:
			return undefined;
	}
}

function datasetSummary(sandbox: Sandbox, chats: number, visitors: number) {
	const { dataset } = sandbox;
	const all = dataset.chats;
	return {
		seed: dataset.seed,
		anchorTime: dataset.anchorTime,
		portal: dataset.portal,
		apps: dataset.apps,
		departments: dataset.departments,
		operators: dataset.operators,
		counts: {
			chats: all.length,
			missedChats: all.reduce((n, chat) => n + (chat.missed_time ? 1 : 0), 0),
			visitors: dataset.visitors.length,
		},
		newestChatTime: all[0]?.chatinitiated_time,
		oldestChatTime: all[all.length - 1]?.chatinitiated_time,
		chats: all.slice(0, chats),
		visitors: dataset.visitors.slice(0, visitors),
	};
}
