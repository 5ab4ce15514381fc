/**
 * Runs the fidelity suite and writes docs/FIDELITY.md from its results:
 *
 *   npx tsx test/fidelity/report.ts
 *
 * Every case of points.ts becomes one row; "pass" means its test passed. Exits non-zero when a case
 * failed or was not run. doc.test.ts keeps the page and points.ts in step inside `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { cell } from '../harness/doc-table';
import { VARIANTS } from '../sandbox/variants';
import { ALL_NON_DEFAULT, CASES, POINTS } from './points';

const ROOT = resolve(__dirname, '../..');
const DOC = join(ROOT, 'docs/FIDELITY.md');


function main(): number {
	const work = mkdtempSync(join(tmpdir(), 'fidelity-'));
	const results = join(work, 'results.json');
	const started = Date.now();
	spawnSync('npx', ['jest', 'test/fidelity', '--testPathIgnorePatterns', 'doc\\.test\\.ts', '--json', `--outputFile=${results}`], {
		cwd: ROOT,
		stdio: 'inherit',
	});
	const seconds = Math.round((Date.now() - started) / 1000);
	const files = (JSON.parse(readFileSync(results, 'utf8')) as { testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }> }).testResults;
	rmSync(work, { recursive: true, force: true });
	const status = new Map<string, string>();
	for (const file of files) {
		for (const a of file.assertionResults) {
			const id = /^(FID-\d{3}) /.exec(a.title)?.[1];
			if (id) status.set(id, a.status === 'passed' ? 'pass' : 'fail');
		}
	}
	const resultOf = (id: string) => status.get(id) ?? 'not run';
	const failing = CASES.filter((c) => resultOf(c.id) !== 'pass');

	const lines = [
		'# Fidelity',
		'',
		'Where Zoho’s documentation is silent or contradicts itself, the node must give the right result under every plausible reading. The sandbox plays each reading as a value of a variant (`--variant NAME=VALUE`, see [SANDBOX.md](SANDBOX.md#variants)), and the cases below run every operation it touches, and the trigger’s whole lifecycle, under each value, then under all non-default values at once.',
		'Each case compares the items with the same operation on the default sandbox, and asserts the requests sent (method, path, query, Authorization present or absent), the number of token refreshes and the number of writes the sandbox performed.',
		'This page is generated: `npx tsx test/fidelity/report.ts` runs `test/fidelity/` and rewrites it; `test/fidelity/doc.test.ts` fails when the page and the cases disagree or a row is not a pass.',
		'',
		`**${CASES.length} cases, ${CASES.length - failing.length} pass, ${failing.length} fail.** Last generated run: ${seconds} s (jest).`,
		'',
	];
	for (const point of POINTS) {
		lines.push(
			`## ${point.title} (\`${point.variant}\`)`,
			'',
			`- **Left open by:** ${point.pages}`,
			`- **Readings:** ${point.readings}`,
			`- **Variant values:** ${VARIANTS[point.variant].map((v, i) => `\`${v}\`${i === 0 ? ' (default)' : ''}`).join(', ')}`,
			`- **What the node does:** ${point.node}`,
			'',
			'| ID | Value | Operation | Result |',
			'|---|---|---|---|',
		);
		for (const c of CASES.filter((x) => x.variant === point.variant)) lines.push(`| ${c.id} | ${c.value} | ${cell(c.operation)} | ${resultOf(c.id)} |`);
		lines.push('');
	}
	lines.push(
		'## All non-default values at once',
		'',
		`Variants: ${Object.entries(ALL_NON_DEFAULT).map(([k, v]) => `\`${k}=${v}\``).join(', ')}.`,
		'',
		'| ID | Value | Operation | Result |',
		'|---|---|---|---|',
	);
	for (const c of CASES.filter((x) => x.variant === 'all')) lines.push(`| ${c.id} | ${c.value} | ${cell(c.operation)} | ${resultOf(c.id)} |`);
	lines.push('');
	writeFileSync(DOC, lines.join('\n'));
	process.stdout.write(`\nWrote ${DOC}: ${CASES.length} rows, ${failing.length} not passing${failing.length ? `: ${failing.map((c) => c.id).join(', ')}` : ''}\n`);
	return failing.length === 0 ? 0 : 1;
}

process.exit(main());
