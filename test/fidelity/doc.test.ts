/**
 * docs/FIDELITY.md must list exactly the cases of points.ts, each open point with its pages, and
 * every row must be a pass. Regenerate it with `npx tsx test/fidelity/report.ts`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { tableRows } from '../harness/doc-table';
import { VARIANTS } from '../sandbox/variants';
import { CASES, POINTS } from './points';

const doc = readFileSync(resolve(__dirname, '../../docs/FIDELITY.md'), 'utf8');

/** Table rows whose first cell is a case id: [id, value, operation, result]. */
const rows = tableRows(doc, /^\| FID-\d{3} \|/);

describe('docs/FIDELITY.md', () => {
	it('has one row per case, in the order of points.ts, with its value and operation', () => {
		expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual(CASES.map((c) => [c.id, c.value, c.operation]));
	});

	it('describes every open point and variant value', () => {
		for (const point of POINTS) {
			expect(doc).toContain(`## ${point.title} (\`${point.variant}\`)`);
			expect(doc).toContain(`- **Left open by:** ${point.pages}`);
			expect(doc).toContain(`- **What the node does:** ${point.node}`);
			for (const value of VARIANTS[point.variant]) expect(CASES.some((c) => c.variant === point.variant && c.value === value)).toBe(true);
		}
	});

	it('shows every case as a pass', () => {
		expect(rows.filter((r) => r[3] !== 'pass').map((r) => `${r[0]}: ${r[3]}`)).toEqual([]);
	});
});
