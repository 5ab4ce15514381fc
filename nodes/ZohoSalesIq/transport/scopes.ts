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
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);
