import type { IExecuteFunctions } from 'n8n-workflow';

import { readCredentials } from './credential';
import { resolveApiUrl, resolveFileSource } from './dataCenters';
import { downloadPublicFile, type DownloadedFile } from './download';
import { transportError } from './errors';
import { isSameHost } from './url';

/**
 * The host rules of attachment downloads. A file link (and every redirect on the way) may point
 * only at the credential's SalesIQ API host, at Zoho's public file domain of the credential's
 * region (any HTTPS host under it, such as ca1-files.zohopublic.ca), or, for a Custom data center,
 * at the Files URL. Links are followed over HTTPS only, except on loopback; at most
 * MAX_FILE_REDIRECTS redirects are followed. The token is never sent: downloads use n8n's plain
 * HTTP helper. The attachment operations of v1 and v2 both download through downloadFile().
 */
export const MAX_FILE_REDIRECTS = 3;

export interface FileHostRules {
	apiUrl: string;
	/** Region's public file domain, e.g. zohopublic.eu. */
	filesDomain?: string;
	/** Custom Files URL origin. */
	filesUrl?: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export async function fileHostRules(this: IExecuteFunctions): Promise<FileHostRules> {
	const credentials = await readCredentials(this);
	return { apiUrl: resolveApiUrl(credentials), ...resolveFileSource(credentials) };
}

/** True when `url` may be fetched as an attachment under these rules. */
export function isAllowedFileUrl(url: string, rules: FileHostRules): boolean {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		return false;
	}
	if (target.username || target.password) return false;
	const host = target.hostname.toLowerCase();
	if (target.protocol !== 'https:' && !(target.protocol === 'http:' && LOOPBACK.test(host))) return false;
	if (isSameHost(url, rules.apiUrl)) return true;
	if (rules.filesUrl !== undefined && isSameHost(url, rules.filesUrl)) return true;
	const domain = rules.filesDomain?.toLowerCase();
	return domain !== undefined && target.protocol === 'https:' && (host === domain || host.endsWith(`.${domain}`));
}

function allowedHosts(rules: FileHostRules): string {
	const hosts = [new URL(rules.apiUrl).host];
	if (rules.filesDomain) hosts.push(`*.${rules.filesDomain}`);
	if (rules.filesUrl) {
		try {
			hosts.push(new URL(rules.filesUrl).host);
		} catch {
			// An unparsable Files URL allows nothing.
		}
	}
	return hosts.join(', ');
}

/**
 * Downloads a file link under the host rules, following at most MAX_FILE_REDIRECTS redirects, each
 * checked again. Returns the final answer (any status); a refused link or redirect throws.
 */
export async function downloadFile(
	this: IExecuteFunctions,
	url: string,
	options: { timeout: number; itemIndex: number; retryOnServerErrors?: boolean; maxBytes?: number },
): Promise<DownloadedFile> {
	const rules = await fileHostRules.call(this);
	const refuse = (link: string, why: string) =>
		transportError(
			this.getNode(),
			'The attachment’s download link points to an unexpected host, so the node did not follow it',
			`Attachments are downloaded only over HTTPS (or from loopback) from ${allowedHosts(rules)}. The ${why} was ${link.slice(0, 200) || 'empty'}. For a Custom data center, set the credential’s Files URL.`,
			{ itemIndex: options.itemIndex, reason: 'foreign-host' },
		);
	if (!isAllowedFileUrl(url, rules)) throw refuse(url, 'download link');
	let current = url;
	for (let hops = 0; ; hops++) {
		const response = await downloadPublicFile.call(this, current, options.timeout, options.itemIndex, options.retryOnServerErrors, options.maxBytes);
		if (response.statusCode < 300 || response.statusCode >= 400) return response;
		const location = response.headers.location;
		if (typeof location !== 'string' || location === '') return response;
		if (hops >= MAX_FILE_REDIRECTS) {
			throw transportError(this.getNode(), `The attachment download was redirected more than ${MAX_FILE_REDIRECTS} times`, 'The node stopped following it. Run the node again to get a fresh link.', {
				itemIndex: options.itemIndex,
				reason: 'redirect',
			});
		}
		let next: string;
		try {
			next = new URL(location, current).toString();
		} catch {
			throw refuse(location, 'redirect');
		}
		if (!isAllowedFileUrl(next, rules)) throw refuse(next, 'redirect');
		current = next;
	}
}
