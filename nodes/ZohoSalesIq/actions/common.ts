import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { portalField } from '../methods/portalField';
import { transportError } from '../transport/errors';
import { salesIqRequest } from '../transport/request';
import { DEFAULT_TIMEOUT_MS, type SalesIqRequestOptions } from '../transport/types';
import { MAX_LIMIT } from '../transport/validation';

/** One operation: its own fields, and how it turns one input item into output items. */
export interface OperationModule {
	description: INodeProperties[];
	/** Pushes this item's output items (each with pairedItem) onto `out`. */
	execute: (this: IExecuteFunctions, itemIndex: number, out: INodeExecutionData[]) => Promise<void>;
	/** Changes data in SalesIQ: such items run one at a time, in order, and stop at the first failure. */
	writes?: boolean;
}

/** Request settings every operation reads from its Options collection. */
export interface RequestSettings {
	screenName?: string;
	timeout: number;
	retryOnServerErrors: boolean;
	itemIndex: number;
}

const portalOption = portalField('work in');

const retryOption: INodeProperties = {
	displayName: 'Retry on Server Errors',
	name: 'retryOnServerErrors',
	type: 'boolean',
	default: true,
	description:
		'Whether to try a read up to two more times, with a short pause, when SalesIQ answers 500, 502, 503 or 504 or drops the connection',
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_TIMEOUT_MS,
	description:
		'How long to wait for each SalesIQ response, in milliseconds, before failing. A request that first needs a new access token may take up to three times as long.',
};

/** Portal, Timeout and (for reads) Retry on Server Errors. */
function requestOptionFields(read: boolean): INodeProperties[] {
	return read ? [portalOption, retryOption, timeoutOption] : [portalOption, timeoutOption];
}

/** An operation's Options collection: its own options (named before "Portal"), then the request settings. */
export function requestOptionsCollection(read: boolean, own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...own, ...requestOptionFields(read)],
	};
}

/** The Chat ID field that chat, transcript and attachment operations share. */
export function chatIdField(description: string, hint?: string): INodeProperties {
	return {
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '282',
		description,
		...(hint ? { hint } : {}),
	};
}

export function readRequestSettings(this: IExecuteFunctions, itemIndex: number): RequestSettings {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const screenName = typeof options.screenName === 'string' ? options.screenName.trim() : '';
	const timeout = Number(options.timeout);
	return {
		screenName: screenName || undefined,
		timeout: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
		retryOnServerErrors: options.retryOnServerErrors !== false,
		itemIndex,
	};
}

export function returnAllField(noun: string): INodeProperties {
	return {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		hint: `Return All reads every ${noun} in range; for large portals set a time range or a limit.`,
	};
}

export function limitField(): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_LIMIT },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	};
}

/** Epoch ms (number or numeric string) as a number, or undefined. */
export function toMs(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = Number(value);
	return Number.isFinite(ms) ? ms : undefined;
}

export function toIso(ms: number | undefined): string | undefined {
	return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** One SalesIQ call with this item's Portal, Timeout and retry settings. */
export async function apiRequest<T = unknown>(
	this: IExecuteFunctions,
	settings: RequestSettings,
	options: Pick<SalesIqRequestOptions, 'method' | 'version' | 'path' | 'qs' | 'body'>,
): Promise<T> {
	return (await salesIqRequest.call(this, { ...options, ...settings })) as T;
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
