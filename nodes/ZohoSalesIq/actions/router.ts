import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { findOperation } from './registry';
import type { OperationModule } from './types';

/**
 * Items read at once. n8n's own HTTP Request node sends the requests of all items at the same
 * time; one item at a time makes per-item reads (a transcript or a file per item) wait for every
 * round trip in turn. A small fixed pool keeps the order of the output and stays gentle with
 * SalesIQ's rate limits (throttling is retried by the transport). Writes run one at a time.
 */
export const ITEM_CONCURRENCY = 10;

/** The node's Resource and Operation. They take no expressions, so every item has the same ones: read once per run. */
function chosenOperation(this: IExecuteFunctions): { resource: string; operation: string; module?: OperationModule } {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	return { resource, operation, module: findOperation(resource, operation) };
}

/**
 * One item through its resource and operation; its output items, each paired with the item, or its
 * error item with continueOnFail. A list that fails part-way returns nothing for this item, never a partial list.
 */
async function runItem(this: IExecuteFunctions, chosen: ReturnType<typeof chosenOperation>, itemIndex: number): Promise<INodeExecutionData[]> {
	try {
		const { module, resource, operation } = chosen;
		if (!module) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, { itemIndex });
		const items = (await module.execute.call(this, itemIndex)) as INodeExecutionData[];
		for (const item of items) item.pairedItem = { item: itemIndex };
		return items;
	} catch (error) {
		if (this.continueOnFail()) {
			return [
				{
					json: {
						error: (error as Error).message,
						...(typeof error?.description === 'string' ? { description: error.description } : {}),
						...(error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {}),
						...(error instanceof NodeApiError && typeof error.errorResponse?.code === 'number' ? { code: error.errorResponse.code } : {}),
					},
					pairedItem: { item: itemIndex },
				},
			];
		}
		if (error instanceof NodeApiError || error instanceof NodeOperationError) {
			error.context.itemIndex ??= itemIndex;
		}
		// Errors from the transport are NodeApiErrors already; anything else is wrapped.
		throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
}

/** Runs the input items through their operations, reads ITEM_CONCURRENCY at a time; the output keeps the input order. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const chosen = chosenOperation.call(this);
	const concurrency = chosen.module?.writes === true ? 1 : ITEM_CONCURRENCY;
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	const run = async (itemIndex: number) => {
		try {
			results[itemIndex] = await runItem.call(this, chosen, itemIndex);
		} catch (error) {
			failures.push({ itemIndex, error });
		}
	};
	// The first item runs alone: if the access token has expired, it alone meets the 401 and the
	// refresh, and the other items start with the new token (or fail at once if the refresh failed).
	await run(0);
	let next = 1;
	const lane = async () => {
		// After a failure no new item starts; items already running finish first.
		while (next < items.length && failures.length === 0) await run(next++);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length - 1) }, lane));
	if (failures.length > 0) throw failures.reduce((first, f) => (f.itemIndex < first.itemIndex ? f : first)).error;
	return [results.flat()];
}
