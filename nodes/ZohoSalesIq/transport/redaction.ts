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
	const clean = value
		.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
		.replace(/[\r\n\t\u2028\u2029]+/g, ' ')
		.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
	const cut = clean.length > max ? `${clean.slice(0, max)}…` : clean;
	return redact(cut, secrets);
}

/** True when `text` holds one of `secrets`. */
export function containsSecret(text: string, secrets: Secrets): boolean {
	for (const secret of secrets) {
		if (secret && secret.length >= MIN_SECRET_LENGTH && text.includes(secret)) return true;
	}
	return false;
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
