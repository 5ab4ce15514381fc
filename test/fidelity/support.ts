/** Shared set-up of the fidelity cases: a sandbox playing a case's variants, and what to assert. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { credentialFor } from '../harness';
import { startSandbox, type LoggedRequest, type Sandbox } from '../sandbox';

/** This seed's dataset has a long transcript (over 3 pages) with attachments, so every list pages. */
export const SEED = 'fidelity-3';
export const ANCHOR = Date.UTC(2026, 10, 1);

export async function fidelitySandbox(variants: Record<string, string> = {}): Promise<Sandbox> {
	return await startSandbox({ seed: SEED, chats: 150, visitors: 60, anchorTime: ANCHOR, variants });
}

/** A connected credential; the Files URL is the sandbox's file host when a variant needs one. */
export function credentialOf(sandbox: Sandbox, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return credentialFor(sandbox, { ...(sandbox.filesUrl ? { filesUrl: sandbox.filesUrl } : {}), ...overrides });
}

export interface SentRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	authorization: boolean;
	host: 'api' | 'files';
}

/** Every request the sandbox saw except token requests: method, path, query, Authorization present or not. */
export function sent(sandbox: Sandbox): SentRequest[] {
	return sandbox
		.requests()
		.filter((r: LoggedRequest) => !r.path.startsWith('/oauth/'))
		.map((r) => ({
			method: r.method,
			path: r.path,
			query: r.query,
			authorization: r.headers.authorization !== undefined,
			host: r.host === 'files' ? 'files' : 'api',
		}));
}

export function refreshes(sandbox: Sandbox): number {
	return sandbox.tokenRequests().length;
}

/**
 * Output with the sandbox's brand ids replaced by their position: the delivery=v1-number variant
 * gives brands 17-digit ids, and everything else must stay the same.
 */
export function normalized(sandbox: Sandbox, value: unknown): unknown {
	let text = JSON.stringify(value) ?? 'null';
	sandbox.dataset.apps.forEach((app, i) => {
		text = text.split(app.id).join(`<brand ${i}>`);
	});
	return JSON.parse(text) as unknown;
}

/** Items as compared across variants: json (and binary bytes, name and type), `result` left out (it is Zoho's raw answer). */
export function comparable(items: Array<{ json: IDataObject; binary?: Record<string, { data: string; fileName?: string; mimeType: string }> }>) {
	return items.map((item) => {
		const { result: _result, ...json } = item.json;
		const binary = item.binary && Object.fromEntries(Object.entries(item.binary).map(([k, b]) => [k, { data: b.data, fileName: b.fileName, mimeType: b.mimeType }]));
		return binary ? { json, binary } : { json };
	});
}
