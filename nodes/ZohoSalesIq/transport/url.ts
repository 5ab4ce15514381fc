/**
 * URL building for SalesIQ. The host always comes from the credential; user input only ever
 * becomes an encoded path segment or a query value, never part of the host.
 */

/** Screen names are portal slugs: letters, digits, '_', '-' and '.'. */
const SCREEN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * Encodes one path segment. '@' stays literal (it is legal in a path, and Zoho's own examples put
 * emails in paths as-is); dot-only segments are encoded too, so they cannot walk up the path.
 */
export function encodeSegment(value: string): string {
	const encoded = encodeURIComponent(value).replace(/%40/g, '@');
	return /^\.+$/.test(encoded) ? encoded.replace(/\./g, '%2E') : encoded;
}

export function isValidScreenName(value: string): boolean {
	return SCREEN_NAME.test(value);
}

/** The last API origin checked, and whether it was valid: every request checks the same few. */
let lastChecked: { apiUrl: string; valid: boolean } | undefined;

/** Whether the credential's API origin is an http(s) URL (parseApiOrigin), remembered for the last one checked. */
export function isValidApiOrigin(apiUrl: string): boolean {
	if (lastChecked?.apiUrl !== apiUrl) lastChecked = { apiUrl, valid: parseApiOrigin(apiUrl) !== undefined };
	return lastChecked.valid;
}

/** Parses the credential's API origin. Returns undefined unless it is an http(s) URL. */
export function parseApiOrigin(apiUrl: string): URL | undefined {
	try {
		const url = new URL(apiUrl);
		if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
		return url;
	} catch {
		return undefined;
	}
}

/**
 * An endpoint path with its `{name}` placeholders filled from `params`, each value encoded as one
 * segment. A placeholder without a value is a programming error and throws.
 */
export function fillPath(template: string, params: Record<string, string> = {}): string {
	return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined) throw new Error(`No value for {${name}} in ${template}`);
		return encodeSegment(value);
	});
}

/** Joins origin, API version, optional screen name and a path that starts with '/'. */
export function buildApiUrl(
	apiUrl: string,
	version: 'v1' | 'v2',
	screenName: string | undefined,
	path: string,
): string {
	const base = apiUrl.replace(/\/+$/, '');
	const screen = screenName === undefined ? '' : `/${encodeSegment(screenName)}`;
	return `${base}/api/${version}${screen}${path}`;
}

/**
 * True when `candidate` is an http(s) URL on the same host as the API origin. The scheme may be
 * upgraded from http to https, never downgraded.
 */
export function isSameHost(candidate: string, apiUrl: string): boolean {
	const api = parseApiOrigin(apiUrl);
	let target: URL;
	try {
		target = new URL(candidate);
	} catch {
		return false;
	}
	if (!api) return false;
	if (target.protocol !== 'https:' && target.protocol !== 'http:') return false;
	if (api.protocol === 'https:' && target.protocol !== 'https:') return false;
	if (target.username || target.password) return false;
	return target.hostname.toLowerCase() === api.hostname.toLowerCase() && effectivePort(target) === effectivePort(api);
}

function effectivePort(url: URL): string {
	if (url.port) return url.port;
	return url.protocol === 'https:' ? '443' : '80';
}
