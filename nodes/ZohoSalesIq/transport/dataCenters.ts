/**
 * The one table of Zoho data centers. The credential builds its hidden OAuth URLs from it
 * and the node builds the SalesIQ API base URL from it, so the two can never disagree.
 */
export interface DataCenter {
	/** Option value stored in the credential. */
	value: string;
	/** Label shown in the credential form. */
	name: string;
	/** Zoho Accounts origin (OAuth authorize and token endpoints). */
	accountsUrl: string;
	/** SalesIQ REST API origin. */
	apiUrl: string;
	/** Zoho's public file domain of the region: attachment links may point at any HTTPS host under it. */
	filesDomain: string;
}

export const DATA_CENTERS: readonly DataCenter[] = [
	{ value: 'us', name: 'United States (zoho.com)', accountsUrl: 'https://accounts.zoho.com', apiUrl: 'https://salesiq.zoho.com', filesDomain: 'zohopublic.com' },
	{ value: 'eu', name: 'Europe (zoho.eu)', accountsUrl: 'https://accounts.zoho.eu', apiUrl: 'https://salesiq.zoho.eu', filesDomain: 'zohopublic.eu' },
	{ value: 'in', name: 'India (zoho.in)', accountsUrl: 'https://accounts.zoho.in', apiUrl: 'https://salesiq.zoho.in', filesDomain: 'zohopublic.in' },
	{ value: 'au', name: 'Australia (zoho.com.au)', accountsUrl: 'https://accounts.zoho.com.au', apiUrl: 'https://salesiq.zoho.com.au', filesDomain: 'zohopublic.com.au' },
	{ value: 'jp', name: 'Japan (zoho.jp)', accountsUrl: 'https://accounts.zoho.jp', apiUrl: 'https://salesiq.zoho.jp', filesDomain: 'zohopublic.jp' },
	{ value: 'cn', name: 'China (zoho.com.cn)', accountsUrl: 'https://accounts.zoho.com.cn', apiUrl: 'https://salesiq.zoho.com.cn', filesDomain: 'zohopublic.com.cn' },
	{ value: 'ca', name: 'Canada (zohocloud.ca)', accountsUrl: 'https://accounts.zohocloud.ca', apiUrl: 'https://salesiq.zohocloud.ca', filesDomain: 'zohopublic.ca' },
	{ value: 'sa', name: 'Saudi Arabia (zoho.sa)', accountsUrl: 'https://accounts.zoho.sa', apiUrl: 'https://salesiq.zoho.sa', filesDomain: 'zohopublic.sa' },
	{ value: 'uk', name: 'United Kingdom (zoho.uk)', accountsUrl: 'https://accounts.zoho.uk', apiUrl: 'https://salesiq.zoho.uk', filesDomain: 'zohopublic.uk' },
];

export const CUSTOM_DATA_CENTER = 'custom';

/** Credential fields that decide where requests go. */
export interface ZohoEndpointSettings {
	dataCenter?: string;
	accountsUrl?: string;
	apiUrl?: string;
	/** Custom only: the origin that serves file downloads, when it is not the API URL. */
	filesUrl?: string;
}

function trimSlash(url: string): string {
	return url.replace(/\/+$/, '');
}

/** The SalesIQ API origin for a credential, without a trailing slash. */
export function resolveApiUrl(settings: ZohoEndpointSettings): string {
	if (settings.dataCenter === CUSTOM_DATA_CENTER) {
		return trimSlash(String(settings.apiUrl ?? ''));
	}
	return dataCenterOf(settings).apiUrl;
}

/** The credential's data center from the table; the first one when the value is unknown. */
function dataCenterOf(settings: ZohoEndpointSettings): (typeof DATA_CENTERS)[number] {
	return DATA_CENTERS.find((d) => d.value === settings.dataCenter) ?? DATA_CENTERS[0];
}

/** Where attachment files may come from: the region's public file domain, or a Custom Files URL. */
export function resolveFileSource(settings: ZohoEndpointSettings): { filesDomain?: string; filesUrl?: string } {
	if (settings.dataCenter === CUSTOM_DATA_CENTER) {
		const filesUrl = trimSlash(String(settings.filesUrl ?? '').trim());
		return filesUrl ? { filesUrl } : {};
	}
	return { filesDomain: dataCenterOf(settings).filesDomain };
}

/**
 * An n8n expression that resolves an origin inside the credential, where imported code is not
 * available at run time. It is generated from the table above, so the table stays the only source.
 */
export function originExpression(field: 'accountsUrl' | 'apiUrl', path = ''): string {
	// A chain of conditions rather than an object literal: braces inside {{ }} confuse the legacy evaluator.
	const custom = `($self["${field}"] || "").replace(new RegExp("/+$"), "")`;
	const known = DATA_CENTERS.map((dc) => `$self["dataCenter"] === "${dc.value}" ? "${dc[field]}" : `).join('');
	return `={{ (${known}$self["dataCenter"] === "${CUSTOM_DATA_CENTER}" ? ${custom} : "${DATA_CENTERS[0][field]}") + "${path}" }}`;
}
