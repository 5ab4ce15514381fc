import type { IExecuteFunctions } from 'n8n-workflow';

import { shown } from '../transport/errors';
import { fail } from './validation';

/**
 * Date-time parameters: reading them as epoch ms, and the time-zone arithmetic behind it. A
 * date-time without a zone is wall-clock time in the workflow's time zone, as n8n's date picker means it.
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** The wall-clock fields of an instant in a time zone, as zero-padded text (year, month, day, hour, minute, second). */
export function zonedParts(instant: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of a time zone from UTC at an instant, in ms (local minus UTC). */
function zoneOffset(instant: number, timeZone: string): number {
	const p = zonedParts(instant, timeZone);
	const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
	return local - Math.floor(instant / 1000) * 1000;
}

/** A date-time without a zone (what the date picker gives) read in the workflow's time zone. */
function wallTimeToMs(text: string, timeZone: string): number | undefined {
	const m = WALL_TIME.exec(text);
	if (!m) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
	const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(ms.padEnd(3, '0')));
	try {
		let result = asUtc - zoneOffset(asUtc, timeZone);
		const corrected = asUtc - zoneOffset(result, timeZone);
		if (corrected !== result) result = corrected;
		return result;
	} catch {
		return asUtc;
	}
}

/** The largest time a JavaScript date can hold (year 275760), in ms since 1970. */
const MAX_DATE_MS = 8.64e15;

/**
 * A date-time parameter (ISO string, Luxon DateTime, Date or epoch ms) as epoch ms. A string
 * without a zone is read in `timeZone` (the workflow's), as n8n's date picker means it.
 */

export function parseTime(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	value: unknown,
	field: string,
	itemIndex: number,
	timeZone = 'UTC',
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let ms: number;
	if (typeof value === 'number') {
		ms = value;
	} else if (value instanceof Date) {
		ms = value.getTime();
	} else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis: () => number }).toMillis();
	} else {
		const text = String(value).trim();
		ms = /^[0-9]{1,16}$/.test(text) ? Number(text) : (wallTimeToMs(text, timeZone) ?? Date.parse(text));
	}
	if (!Number.isFinite(ms) || ms < 0) {
		fail(ctx, itemIndex, `${field} "${shown(String(value))}" is not a valid date and time`, 'Use an ISO date such as 2024-05-01T00:00:00Z or milliseconds since 1970.');
	}
	if (ms > MAX_DATE_MS) {
		fail(ctx, itemIndex, `${field} "${shown(String(value))}" is past the largest date`, 'Use a date before the year 275760, such as 2024-05-01T00:00:00Z, or milliseconds since 1970.');
	}
	return Math.trunc(ms);
}

export function validateTimeRange(
	ctx: IExecuteFunctions,
	from: number | undefined,
	to: number | undefined,
	itemIndex: number,
): void {
	if (from !== undefined && to !== undefined && from > to) {
		fail(ctx, itemIndex, 'From Time must not be after To Time', `From ${new Date(from).toISOString()} is after To ${new Date(to).toISOString()}.`);
	}
}
