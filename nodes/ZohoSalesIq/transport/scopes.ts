/** Every scope the node and the trigger need. The credential requests all of them at once. */
export const SCOPES = {
	chatDetailsRead: 'SalesIQ.chatdetails.READ',
	chatTranscriptRead: 'SalesIQ.chattranscript.READ',
	visitorDetailsRead: 'SalesIQ.visitordetails.READ',
	visitorDetailsUpdate: 'SalesIQ.visitordetails.UPDATE',
	pushNotificationsUpdate: 'SalesIQ.PushNotifications.UPDATE',
	portalsRead: 'SalesIQ.portals.READ',
	appsRead: 'SalesIQ.Apps.READ',
	webhooksRead: 'SalesIQ.webhooks.READ',
	webhooksCreate: 'SalesIQ.webhooks.CREATE',
	webhooksDelete: 'SalesIQ.webhooks.DELETE',
	callbacksUpdate: 'SalesIQ.callbacks.UPDATE',
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

/** Which scope a request needs, so that error 1009 can name it. Paths are after /api/{version}/{screen}. */
export function scopeForRequest(method: string, version: 'v1' | 'v2', path: string, withoutScreen = false): string | undefined {
	if (version === 'v2') {
		if (withoutScreen && path.startsWith('/portals')) return SCOPES.portalsRead;
		if (path.startsWith('/apps')) return SCOPES.appsRead;
		if (path.startsWith('/callbacks')) return SCOPES.callbacksUpdate;
		if (path.startsWith('/webhooks')) {
			if (method === 'DELETE') return SCOPES.webhooksDelete;
			return method === 'GET' ? SCOPES.webhooksRead : SCOPES.webhooksCreate;
		}
		return undefined;
	}
	if (/^\/chats\/[^/]+\/transcript/.test(path)) return SCOPES.chatTranscriptRead;
	if (path.startsWith('/chats')) return SCOPES.chatDetailsRead;
	if (path.startsWith('/visitorsview')) return SCOPES.visitorDetailsRead;
	if (path.startsWith('/visitorsbyemail')) return SCOPES.visitorDetailsUpdate;
	if (path.startsWith('/pushnotification')) return SCOPES.pushNotificationsUpdate;
	return undefined;
}
