/** Shared set-up for the trigger tests: a sandbox plus the trigger wired to it over real HTTP. */
import { request } from 'node:http';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { credentialFor } from '../harness';
import { startTrigger, type TriggerHarness } from '../harness/webhook';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';

/**
 * A fixed sandbox clock, so that separate deliveries of one event carry the same event_time: a
 * whole minute shortly before the tests run, inside the trigger's replay window.
 */
export const EVENT_TIME = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;

export async function sandboxFor(options: SandboxOptions = {}): Promise<Sandbox> {
	return await startSandbox({ seed: 'trigger', chats: 20, visitors: 5, clock: () => EVENT_TIME, ...options });
}

export function triggerParameters(overrides: IDataObject = {}): INodeParameters {
	return { events: ['conversation.created', 'conversation.completed'], appIds: [], options: {}, ...overrides } as INodeParameters;
}

export async function triggerFor(
	sandbox: Sandbox,
	parameters: INodeParameters = triggerParameters(),
	options: { credential?: ICredentialDataDecryptedObject; announcedOrigin?: string } = {},
): Promise<TriggerHarness> {
	return await startTrigger({
		parameters,
		credential: options.credential ?? credentialFor(sandbox),
		announcedOrigin: options.announcedOrigin,
	});
}

/** The JSON bodies the node sent to one method and path (after /api/v2/<screen>). */
export function sentBodies(sandbox: Sandbox, method: string, path: string): unknown[] {
	const full = `/api/v2/${sandbox.screenName}${path}`;
	return sandbox
		.requests()
		.filter((r) => r.method === method && r.path === full)
		.map((r) => (r.body ? JSON.parse(r.body) : undefined));
}

export function countRequests(sandbox: Sandbox, method: string, path: string): number {
	return sentBodies(sandbox, method, path).length;
}

/** POSTs raw bytes to a trigger URL, as an attacker or a misbehaving proxy could. */
export function postRaw(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(body);
	});
}
