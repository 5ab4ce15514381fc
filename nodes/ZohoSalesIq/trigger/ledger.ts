import { sleep, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { asText, toEpochMs } from '../shared/values';
import { deliveryKey, DELIVERY_MEMORY } from './dedup';

/**
 * Where the trigger remembers deliveries, so that one event starts the workflow once, also when n8n
 * runs several processes (queue mode: webhook processors receive, workers execute). n8n gives a node
 * no atomic shared store: workflow static data is read when a request arrives and written back whole
 * after the execution is queued, so two copies handled at the same moment both find the event unseen,
 * and the later write drops the earlier one's record. The trigger therefore keeps three records, each
 * closing a gap the others leave (docs/TRIGGERS.md, "The trigger in queue mode"):
 *
 * 1. Process memory (`claimInProcess`): checked and set in one synchronous step, so copies that reach
 *    the same process at once start one execution. Lost on restart.
 * 2. Workflow static data (`rememberDelivery` in dedup.ts): kept across restarts wherever n8n saves what a
 *    webhook writes. A queue-mode webhook processor does not save it, and a worker's
 *    static data lacks what the activation stored (the public key), so nothing else writes it.
 * 3. n8n's deduplication store, inside the execution (`firstCopiesOnly`): shared by every process and
 *    written at once. A copy that got past another process's memory starts an execution; there the
 *    trigger records the key with a claim of its own, waits until any racing copy's write has surely
 *    landed, and looks again. The store keeps whichever record was written last, so exactly one claim
 *    survives and only that execution passes the event on; the others end at the trigger with no items.
 */

/** Trigger nodes remembered per process; the least recently created go first. */
const PROCESS_MEMORY_NODES = 200;
const inProcess = new Map<string, Set<string>>();

/**
 * Records `key` for this trigger node in process memory unless it is there already. Returns false for
 * a key this process has seen. No await between the check and the write: concurrent requests in one
 * process cannot both pass.
 */
export function claimInProcess(scope: string, key: string): boolean {
	let keys = inProcess.get(scope);
	if (keys === undefined) {
		keys = new Set();
		inProcess.set(scope, keys);
		while (inProcess.size > PROCESS_MEMORY_NODES) inProcess.delete(inProcess.keys().next().value as string);
	}
	if (keys.has(key)) return false;
	keys.add(key);
	while (keys.size > DELIVERY_MEMORY) keys.delete(keys.values().next().value as string);
	return true;
}

/** How long a worker waits between its claim and its second look: far longer than one store write. */
const SETTLE_MS = 1000;
/** Entries kept in the deduplication store per trigger node (two per delivery). */
const STORE_ENTRIES = 2 * DELIVERY_MEMORY;
const STORE_OPTIONS = { mode: 'entries' as const, maxEntries: STORE_ENTRIES };

/** The delivery key of an item the trigger emitted, from its envelope (the same key its webhook used). */
export function keyOfItem(json: IDataObject): string | undefined {
	const event = asText(json.event);
	if (event === undefined) return undefined;
	return deliveryKey({
		webhookId: asText(json.webhook_id),
		event,
		entityId: asText(json.entity_id),
		eventTime: toEpochMs(json.event_time),
		entity: json.entity,
	});
}

/**
 * True when this execution is the one that passes the event on. First look: a key already recorded
 * means an earlier copy passed. Otherwise the key and this execution's claim are recorded together;
 * after SETTLE_MS the second look finds this claim (it survived: pass), another copy's key without
 * this claim (the other copy's write came last: stop), or neither (an unrelated write overwrote both:
 * pass, as losing an event is worse than a rare duplicate).
 */
async function isFirstCopy(this: IExecuteFunctions, key: string): Promise<boolean> {
	const claim = `${key}:${this.getExecutionId()}`;
	const first = await this.helpers.checkProcessedAndRecord([key, claim], 'node', STORE_OPTIONS);
	if (first.processed.includes(key)) return false;
	await sleep(SETTLE_MS);
	const second = await this.helpers.checkProcessedAndRecord([claim, key], 'node', STORE_OPTIONS);
	if (second.processed.includes(claim)) return true;
	return !second.processed.includes(key);
}

/**
 * The trigger's step inside the execution (on a worker in queue mode): passes on the items of the
 * first copy of each delivery and drops the others. Manual test runs pass everything, so that a test
 * event never marks a real one as seen.
 */
export async function firstCopiesOnly(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (this.getMode() === 'manual' || typeof this.helpers.checkProcessedAndRecord !== 'function') return [items];
	const kept: INodeExecutionData[] = [];
	for (const item of items) {
		const key = keyOfItem(item.json);
		if (key === undefined || (await isFirstCopy.call(this, key))) kept.push(item);
	}
	return [kept];
}
