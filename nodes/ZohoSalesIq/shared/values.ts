import type { IDataObject } from 'n8n-workflow';

/**
 * Reading loose values: what Zoho sends (ids as numbers or strings, times as ms text) and what
 * users type. Every such helper of the package lives here, each under its own name.
 */

/** A JSON object (not null, not a list). */
export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON objects of a list; anything that is not a list gives none. */
export function recordsOf(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** An id or a name as Zoho sends it: a non-blank string (trimmed) or a finite number, as text. */
export function asText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** A field shown as it was sent: a non-blank string unchanged, a number or a boolean as text. */
export function fieldText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

/** A parameter as trimmed text; nothing (undefined, null) is ''. */
export function trimmedText(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).trim();
}

/** A number or numeric text (ms times, sizes) as a number, or undefined. */
export function toMs(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = Number(value);
	return Number.isFinite(ms) ? ms : undefined;
}

/** A time in milliseconds since 1970 that must be real: a whole number above zero, or undefined. */
export function toEpochMs(value: unknown): number | undefined {
	const ms = toMs(value);
	return ms !== undefined && ms > 0 ? Math.trunc(ms) : undefined;
}

/** An instant in ms as ISO 8601 text, or undefined when there is none or it is out of range. */
export function toIso(ms: number | undefined): string | undefined {
	if (ms === undefined) return undefined;
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
