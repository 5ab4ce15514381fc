import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { credentialFor } from '../harness';
import { PollHarness } from '../harness/poll';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';

export { PollHarness };

/** A sandbox on the real clock (advanceTime moves it ahead), as the node's look-back compares with this machine's clock. */
export async function pollSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await startSandbox({ chats: 300, visitors: 50, seed: 15, ...options });
}

export function pollHarness(sandbox: Sandbox, parameters: INodeParameters): PollHarness {
	return new PollHarness({ parameters, credential: credentialFor(sandbox) });
}

/** The chat-list requests the sandbox received since the log was last cleared. */
export function chatListRequests(sandbox: Sandbox) {
	return sandbox.requests().filter((r) => /^\/api\/v1\/[^/]+\/chats$/.test(r.path));
}

/** `chat_id:event` of each item. */
export function keys(items: IDataObject[] | undefined): string[] {
	return (items ?? []).map((item) => `${String(item.chat_id)}:${String(item.event)}`);
}

/** Asserts that no chat fired an event twice, and returns the set of `chat_id:event`. */
export function onceEach(items: IDataObject[]): Set<string> {
	const all = keys(items);
	const seen = new Set<string>();
	const repeats = all.filter((key) => (seen.has(key) ? true : (seen.add(key), false)));
	expect(repeats).toEqual([]);
	return seen;
}
