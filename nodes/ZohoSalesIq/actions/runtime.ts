import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import { transportError } from '../transport/errors';
import { endpointRequest, salesIqRequest, type EndpointCall } from '../transport/request';
import { DEFAULT_TIMEOUT_MS, type Endpoint } from '../transport/types';
import type { OperationItem } from './types';
import { validateTimeout } from './validation';

/** Request settings every operation reads from its Options collection. */
export interface RequestSettings {
	screenName?: string;
	timeout: number;
	retryOnServerErrors: boolean;
	itemIndex: number;
}

/** The Portal, Timeout and retry settings of an item; `options` is its Options collection, when the operation has read it already. */
export function readRequestSettings(
	this: IExecuteFunctions,
	itemIndex: number,
	options = this.getNodeParameter('options', itemIndex, {}) as IDataObject,
): RequestSettings {
	const screenName = typeof options.screenName === 'string' ? options.screenName.trim() : '';
	return {
		screenName: screenName || undefined,
		timeout: validateTimeout(this, options.timeout, itemIndex) ?? DEFAULT_TIMEOUT_MS,
		retryOnServerErrors: options.retryOnServerErrors !== false,
		itemIndex,
	};
}

/** One call of a declared endpoint with this item's Portal, Timeout and retry settings. */
export async function apiRequest<T = unknown>(
	this: IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions,
	settings: RequestSettings,
	endpoint: Endpoint,
	call?: EndpointCall,
): Promise<T> {
	return (await salesIqRequest.call(this, { ...endpointRequest(endpoint, call), ...settings })) as T;
}

/** The `data` of a response that must be one object. */
export function expectObject(this: IExecuteFunctions, data: unknown, what: string, itemIndex: number): IDataObject {
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw transportError(this.getNode(), `SalesIQ sent an unexpected ${what}`, 'The "data" of the response was not an object.', {
			itemIndex,
			reason: 'malformed',
		});
	}
	return data as IDataObject;
}

/** Every entry of every page as an output item; entries that `toJson` maps to undefined are left out. */
export async function itemsOfPages<T>(pages: AsyncIterable<T[]>, toJson: (entry: T) => IDataObject | undefined): Promise<OperationItem[]> {
	const items: OperationItem[] = [];
	for await (const page of pages) {
		for (const entry of page) {
			const json = toJson(entry);
			if (json !== undefined) items.push({ json });
		}
	}
	return items;
}
