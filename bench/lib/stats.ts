/** Small statistics for noisy timings: medians, not means. */

export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of the per-round ratios a[i]/b[i]: each round pairs two runs made back to back. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
	const ratios: number[] = [];
	for (let i = 0; i < Math.min(a.length, b.length); i++) if (b[i] > 0) ratios.push(a[i] / b[i]);
	return median(ratios);
}

export function fixed(value: number | undefined, digits = 2): string {
	return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

export function ms(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) return '–';
	return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function mb(bytes: number | undefined): string {
	return bytes === undefined || !Number.isFinite(bytes) ? '–' : (bytes / 1048576).toFixed(0);
}
