import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { Endpoint } from '../transport/types';

/** One output item of an operation. The router adds `pairedItem`; an operation never sets it. */
export type OperationItem = Omit<INodeExecutionData, 'pairedItem'>;

/** Methods the editor calls for an operation's fields: listSearch for resource locators, loadOptions for lists. */
export interface OperationMethods {
	listSearch?: Record<
		string,
		(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>
	>;
	loadOptions?: Record<string, (this: ILoadOptionsFunctions) => Promise<INodePropertyOptions[]>>;
}

/** One operation: its entry in the Operation list, its fields, and how it turns one input item into output items. */
export interface OperationModule {
	/** The entry in the resource's Operation list (the value is the operation's key in the registry). */
	option: {
		name: string;
		description: string;
		action: string;
		/**
		 * What an AI agent reads about the operation when the node serves as the "Zoho SalesIQ Tool": what it returns
		 * and what its inputs mean. Without it n8n would describe the tool only by its action.
		 */
		toolDescription: string;
	};
	/** The operation's own fields. The registry shows them only for this resource and operation. */
	properties: INodeProperties[];
	/** Reads this item's parameters and returns its output items. A list that fails part-way throws: never a partial list. */
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<OperationItem[]>;
	/** Every SalesIQ endpoint the operation calls, each with its scope: the credential asks for these scopes. */
	endpoints: Record<string, Endpoint>;
	/** Changes data in SalesIQ: such items run one at a time, in order, and stop at the first failure. */
	writes?: boolean;
	/** listSearch / loadOptions methods its fields use; the registry hands them to the node. */
	methods?: OperationMethods;
}

/** A resource: its entry in the Resource list and its operations, by operation value. */
export interface ResourceDefinition {
	name: string;
	description: string;
	/** The operation selected when the resource is chosen. */
	defaultOperation: string;
	operations: Record<string, OperationModule>;
}
