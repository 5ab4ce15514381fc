/**
 * docs/RELIABILITY.md must list exactly the cases of cases.ts, with the same injected text, and
 * every row must be a pass. Regenerate it with `npx tsx test/reliability/report.ts`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { tableRows } from '../harness/doc-table';
import { CASES } from './cases';

const doc = readFileSync(resolve(__dirname, '../../docs/RELIABILITY.md'), 'utf8');

/** Table rows whose first cell is a case id: [id, injected, expected, did, result]. */
const rows = tableRows(doc, /^\| [A-Z]+-[A-Za-z0-9.-]+ \|/);

describe('docs/RELIABILITY.md', () => {
	it('has at least 40 rows, one per case, in the order of cases.ts', () => {
		expect(rows.length).toBeGreaterThanOrEqual(40);
		expect(rows.map((r) => r[0])).toEqual(CASES.map((c) => c.id));
	});

	it('describes each case as cases.ts does', () => {
		expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual(CASES.map((c) => [c.id, c.injected.replace(/\r?\n/g, ' ').trim(), c.expected.trim()]));
	});

	it('shows every case as a pass', () => {
		expect(rows.filter((r) => r[4] !== 'pass').map((r) => `${r[0]}: ${r[4]}`)).toEqual([]);
	});
});
