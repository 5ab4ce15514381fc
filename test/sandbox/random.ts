/**
 * Seeded randomness. Everything the sandbox generates comes from here, so one seed always
 * yields the same dataset, byte for byte.
 */

// Module-level aliases: under jest's vm sandbox every global lookup (Math, ...) is slow, and these
// functions run millions of times while a large dataset is built.
const imul = Math.imul;
const floor = Math.floor;

/** 32-bit integer hash of several numbers; used to derive independent sub-seeds (per chat, per file). */
export function mix(...parts: number[]): number {
	let h = 0x811c9dc5;
	for (const part of parts) {
		h = imul(h ^ (part >>> 0), 0x01000193);
		h ^= h >>> 15;
		h = imul(h, 0x2c1b3c6d);
		h ^= h >>> 12;
		h = imul(h, 0x297a2d39);
		h ^= h >>> 15;
	}
	return h >>> 0;
}

/** Turns a numeric or textual seed into a 32-bit seed. */
export function seedFrom(value: number | string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return mix(Math.trunc(value));
	const text = String(value);
	let h = 0x9e3779b9;
	for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
	return h;
}

/** mulberry32: tiny and fast, and good enough for test data. */
export class Random {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[floor(this.next() * items.length)];
	}

	/** A string of `length` decimal digits, the first one non-zero. */
	digits(length: number): string {
		let out = String(this.int(1, 9));
		for (let i = 1; i < length; i++) out += String(this.int(0, 9));
		return out;
	}

	hex(length: number): string {
		let out = '';
		for (let i = 0; i < length; i++) out += this.int(0, 15).toString(16);
		return out;
	}

	uuid(): string {
		const h = this.hex(32);
		const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
		return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
	}
}
