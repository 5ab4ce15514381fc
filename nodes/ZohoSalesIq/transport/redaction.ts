/**
 * The one redaction step. Every string that reaches an error, an output item or the run data from
 * SalesIQ or Zoho Accounts passes through here: known secrets and anything shaped like a Zoho
 * token are replaced, and server text is stripped of control characters and cut to a length a
 * log line can hold.
 */

/** The secrets of a run: the client secret, the refresh token and every access token seen. */
export type Secrets = Iterable<string>;

const TOKEN_PATTERNS: readonly RegExp[] = [
	/\b(Bearer|Zoho-oauthtoken)\s+[^\s"',]+/gi,
	/\b1000\.[A-Za-z0-9]{6,}\.[A-Za-z0-9]{6,}\b/g,
	/\b(access_token|refresh_token|client_secret)=[^\s&"']+/gi,
];

/** Secrets shorter than this are not searched for: they would match ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** Server text in an error is cut to this many characters. */
export const MAX_SERVER_TEXT = 300;

/** Removes secrets from text that is about to become part of an error, an item or a log line. */
export function redact(text: string, secrets: Secrets = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join('[redacted]');
	}
	for (const pattern of TOKEN_PATTERNS) {
		result = result.replace(pattern, (match, prefix: unknown) => {
			if (typeof prefix !== 'string') return '[redacted]';
			return `${prefix}${match.charAt(prefix.length) === '=' ? '=' : ' '}[redacted]`;
		});
	}
	return result;
}

/**
 * Text a server chose (a Zoho error message, a parameter name, a file name): ANSI escape
 * sequences and control characters removed, line breaks made spaces, cut to `max` characters, so
 * that it can never forge a log line or flood one. Then redacted.
 */
export function serverText(value: string, secrets: Secrets = [], max = MAX_SERVER_TEXT): string {
	// Only the start can be shown: a long text is cut before it is cleaned (one escape sequence fits in the slack).
	const clean = withoutControls(value.length > max * 2 + 64 ? value.slice(0, max * 2 + 64) : value);
	const cut = clean.length > max ? `${clean.slice(0, max)}…` : clean;
	return redact(cut, secrets);
}

/** A C0 or C1 control character (ESC, CR, LF and TAB included). */
export function isControlCode(code: number): boolean {
	return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** A character that breaks a line: CR, LF, TAB, or the Unicode line and paragraph separators. */
function isBreakCode(code: number): boolean {
	return code === 0x0d || code === 0x0a || code === 0x09 || code === 0x2028 || code === 0x2029;
}

/** The end (exclusive) of the ANSI CSI escape sequence that starts at `start` (ESC [ params intermediates final), or -1. */
function csiEnd(text: string, start: number): number {
	if (text.charCodeAt(start) !== 0x1b || text[start + 1] !== '[') return -1;
	let i = start + 2;
	while (i < text.length && '0123456789;?'.includes(text[i])) i++;
	while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
	const final = text.charCodeAt(i);
	return final >= 0x40 && final <= 0x7e ? i + 1 : -1;
}

/**
 * `text` without ANSI escape sequences and control characters; each run of line breaks and tabs becomes one space.
 * A character-by-character scan, so no pattern has to spell out control characters.
 */
function withoutControls(text: string): string {
	let out = '';
	let inBreak = false;
	let i = 0;
	while (i < text.length) {
		const end = csiEnd(text, i);
		if (end !== -1) {
			// An escape sequence disappears without ending a run of line breaks.
			i = end;
			continue;
		}
		const code = text.charCodeAt(i);
		if (isBreakCode(code)) {
			if (!inBreak) out += ' ';
			inBreak = true;
		} else {
			inBreak = false;
			if (!isControlCode(code)) out += text[i];
		}
		i++;
	}
	return out;
}

/** True when `text` holds one of `secrets`. */
export function containsSecret(text: string, secrets: Secrets): boolean {
	for (const secret of secrets) {
		if (secret && secret.length >= MIN_SECRET_LENGTH && text.includes(secret)) return true;
	}
	return false;
}

/** What JSON text writes between or around values, and what can be part of a number's text. */
const JSON_SYNTAX = new Set([...'",:[]{}\\ ']);
const NUMBER_TEXT = /^[0-9.eE+-]*$/;
/** What each two-character JSON escape spells. */
const SHORT_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** What the search of a JSON text needs to know about the secrets of a run. */
interface SecretSearch {
	/** The secrets long enough to search for. */
	searched: string[];
	/** Their characters, by UTF-16 unit; undefined when a text can show a secret in another way than as it is. */
	chars?: Set<string>;
}

/**
 * The search for a set of secrets. The text of a JSON value shows every secret its strings hold
 * as it is, unless a secret could form across the value's syntax or inside a number's text (which
 * the text may write another way), or an escape in the text spells a character of a secret
 * (checked per text in textShowsSecrets).
 */
function searchFor(secrets: readonly string[]): SecretSearch {
	const searched = secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
	const chars = new Set<string>();
	for (const secret of searched) {
		if (NUMBER_TEXT.test(secret)) return { searched };
		// By UTF-16 unit, as a \u escape spells one.
		for (let i = 0; i < secret.length; i++) {
			if (JSON_SYNTAX.has(secret[i]) || isControlCode(secret.charCodeAt(i))) return { searched };
			chars.add(secret[i]);
		}
	}
	return { searched, chars };
}

/** The search of each run's secrets, made again only when the set has grown (sets of secrets only grow). */
const searches = new WeakMap<object, { size: number; search: SecretSearch }>();

function searchOf(secrets: Secrets): SecretSearch {
	const list = [...secrets];
	if (typeof secrets !== 'object' || secrets === null) return searchFor(list);
	const known = searches.get(secrets);
	if (known && known.size === list.length) return known.search;
	const search = searchFor(list);
	searches.set(secrets, { size: list.length, search });
	return search;
}

/** Whether no escape in `json` spells one of `chars`. */
function noEscapeSpells(json: string, chars: Set<string>): boolean {
	for (let at = json.indexOf('\\'); at !== -1; at = json.indexOf('\\', at + 2)) {
		const kind = json[at + 1];
		const spelled = kind === 'u' ? String.fromCharCode(parseInt(json.slice(at + 2, at + 6), 16)) : SHORT_ESCAPES[kind];
		if (spelled === undefined || chars.has(spelled)) return false;
	}
	return true;
}

/**
 * Whether `value`, parsed from the JSON text `json`, may hold one of `secrets`. The text is
 * searched as it is when it shows every secret the value could hold, so that a page of a hundred
 * chats is not serialized again; otherwise the value's own serialization is searched.
 */
export function parsedMayHoldSecret(value: unknown, json: string | undefined, secrets: Secrets): boolean {
	const { searched, chars } = searchOf(secrets);
	if (searched.length === 0) return false;
	if (json !== undefined) {
		if (containsSecret(json, searched)) return true;
		if (chars !== undefined && noEscapeSpells(json, chars)) return false;
	}
	return containsSecret(JSON.stringify(value) ?? '', searched);
}

/** `value` as it is, or redacted at any depth when it may hold one of `secrets` (an answer that echoes one). */
export function withoutEchoedSecrets<T>(value: T, json: string | undefined, secrets: Secrets): T {
	return parsedMayHoldSecret(value, json, secrets) ? scrubDeep(value, secrets) : value;
}

/** `value` with every string redacted, at any depth (answers that echo a secret into data). */
export function scrubDeep<T>(value: T, secrets: Secrets): T {
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) return value.map((v: unknown) => scrubDeep(v, secrets)) as T;
	if (typeof value === 'object' && value !== null) {
		// fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
		return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, scrubDeep(v, secrets)])) as T;
	}
	return value;
}

/** The secrets of each run (one n8n context), which grow as refreshes bring new access tokens. */
const runSecrets = new WeakMap<object, Set<string>>();

export function secretsOfRun(context: object): Set<string> {
	let set = runSecrets.get(context);
	if (!set) {
		set = new Set<string>();
		runSecrets.set(context, set);
	}
	return set;
}

/** Adds the secret values of a credential read to the run's secrets. */
export function learnSecrets(context: object, values: readonly unknown[]): void {
	const set = secretsOfRun(context);
	for (const value of values) if (typeof value === 'string' && value.length > 0) set.add(value);
}
