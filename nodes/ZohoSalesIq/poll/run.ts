import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { PollConfig } from './config';
import { startPosition } from './start';
import { readState, writeState } from './state';
import { walkChatList } from './walk';

/**
 * Polls of one trigger that are still running, by the node's static data (one object per active
 * workflow in this process). n8n starts the next scheduled poll even when the last one has not
 * finished (a slow SalesIQ, a long walk); both would start from the same position and report the
 * same chats twice, so a poll that finds its predecessor still running does nothing.
 */
const running = new WeakSet<object>();

/** One scheduled poll of an active workflow: the items to start an execution with, or null. */
export async function pollActive(this: IPollFunctions, config: PollConfig): Promise<INodeExecutionData[] | null> {
	const staticData = this.getWorkflowStaticData('node');
	if (running.has(staticData)) return null;
	running.add(staticData);
	try {
		// The stored position changes only after a poll that succeeded: an error leaves it as it was.
		let state = readState(staticData);
		if (!state || (config.startFrom !== undefined && state.origin !== config.startFrom)) {
			state = await startPosition.call(this, config);
			if (config.startFrom === undefined) {
				writeState(staticData, state);
				return null;
			}
		}
		const result = await walkChatList.call(this, config, state, Date.now());
		writeState(staticData, result.state);
		return result.items.length > 0 ? result.items : null;
	} finally {
		running.delete(staticData);
	}
}
