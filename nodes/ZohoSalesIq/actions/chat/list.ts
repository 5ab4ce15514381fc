import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

import { timeWindowPages } from '../../transport/paging';
import type { Endpoint } from '../../transport/types';
import { getApiBaseUrl } from '../../transport/credential';
import { TimeBounds } from '../../transport/timeBounds';
import { apiRequest, type RequestSettings } from '../runtime';
import { toMs } from '../../shared/values';

/** GET /api/v1/{screen}/chats: the chat list, newest first, paged by time. */
export const CHAT_LIST: Endpoint = { method: 'GET', version: 'v1', path: '/chats', scope: 'SalesIQ.chatdetails.READ' };

export interface ChatListWindow {
	/** Only chats started at or after this time (ms). */
	fromTime?: number;
	/** Only chats started at or before this time (ms). */
	toTime?: number;
	/** Chats wanted; undefined means all in the window. */
	limit?: number;
	/** Requests allowed: past them the list stops early and the budget says `spent`. */
	budget?: PageBudget;
}

export interface PageBudget {
	/** Requests still allowed. */
	left: number;
	/** Set when the list stopped because a further page would have been past the budget. */
	spent: boolean;
}

export function pageBudget(requests: number): PageBudget {
	return { left: requests, spent: false };
}

/**
 * The v1 chat list (`GET /chats`), newest first, one array per page: Chat Get Many, the Chat
 * field's list search and the Poll Trigger read chats through this one function. Each page is one
 * request; paging is transport/paging.ts's time-window paging, and transport/timeBounds.ts sends
 * each window the way SalesIQ reads fromtime and totime.
 */
export function chatPages(
	this: IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions,
	settings: RequestSettings,
	window: ChatListWindow,
): AsyncGenerator<IDataObject[]> {
	const budget = window.budget;
	const timeOf = (chat: IDataObject) => toMs(chat.chatinitiated_time);
	// n8n's getNode() copies the node: once per list is enough.
	const node = this.getNode();
	const bounds = new TimeBounds<IDataObject>({
		node,
		itemIndex: settings.itemIndex,
		noun: 'chats',
		timeOf,
		origin: () => getApiBaseUrl.call(this),
		send: async (qs) => {
			if (budget) {
				// An empty page ends the paging without a request.
				if (budget.left <= 0) {
					budget.spent = true;
					return [];
				}
				budget.left--;
			}
			return (await apiRequest.call(this, settings, CHAT_LIST, { qs })) as IDataObject[];
		},
	});
	return timeWindowPages<IDataObject>({
		node,
		itemIndex: settings.itemIndex,
		order: 'newestFirst',
		fromTime: window.fromTime,
		toTime: window.toTime,
		limit: window.limit,
		noun: 'chats',
		timeOf,
		keyOf: (chat) => String(chat.chat_id),
		fetchPage: (pageSize, from, to) => bounds.fetch(from, to, pageSize, { limit: pageSize }),
	});
}
