import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as attachment from './attachment/attachment.resource';
import * as chat from './chat/chat.resource';
import type { OperationModule } from './common';
import * as pushNotification from './pushNotification/pushNotification.resource';
import * as transcript from './transcript/transcript.resource';
import * as visitor from './visitor/visitor.resource';

const resources: Record<string, Record<string, OperationModule>> = {
	attachment: attachment.operations,
	chat: chat.operations,
	pushNotification: pushNotification.operations,
	transcript: transcript.operations,
	visitor: visitor.operations,
};

/** Runs each input item through its resource and operation. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const start = out.length;
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const module = resources[resource]?.[operation];
			if (!module) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
					itemIndex,
				});
			}
			await module.execute.call(this, itemIndex, out);
		} catch (error) {
			// A list that failed part-way returns nothing for this item, never a partial list.
			out.length = start;
			if (this.continueOnFail()) {
				out.push({
					json: {
						error: (error as Error).message,
						...(typeof error?.description === 'string' ? { description: error.description } : {}),
						...(error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {}),
						...(error instanceof NodeApiError && typeof error.errorResponse?.code === 'number' ? { code: error.errorResponse.code } : {}),
					},
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				error.context.itemIndex ??= itemIndex;
			}
			// Errors from the transport are NodeApiErrors already; anything else is wrapped.
			throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [out];
}
