/**
 * `npm run verify`: what n8n's community-package scanner checks before it lists a package, run offline.
 *
 * It builds and packs the package, unpacks the tarball, and lints both legs with the scanner's own exported rule
 * set and file patterns: the sources (nodes/, credentials/, package.json) and the shipped files (every .js and the
 * published package.json). Inline eslint-disable comments are ignored, as the scanner ignores them. Any finding fails,
 * warnings included (the scanner itself fails on errors only). It also fails when the tarball ships source maps or
 * declaration files, which n8n never loads.
 *
 * Skipped, because they need the internet: the registry look-up of the published version, its npm provenance
 * attestation, the download of the published tarball and of the attested source commit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type ScanConfig = unknown[];
interface Scanner {
	buildScanConfig(): Promise<ScanConfig>;
	SOURCE_FILE_PATTERNS: string[];
}
interface LintMessage {
	ruleId: string | null;
	severity: number;
	message: string;
	line: number;
	column: number;
}
interface LintResult {
	filePath: string;
	messages: LintMessage[];
}

const root = resolve(__dirname, '..');
const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
// The scanner's own ESLint and glob, so the rules run exactly as in the scanner.
const fromScanner = createRequire(scannerPath);
const { ESLint } = fromScanner('eslint') as typeof import('eslint');
const glob = fromScanner('fast-glob') as { sync(patterns: string[], options: object): string[] };

/** The patterns of the scanner's tarball leg (analyzePackageByName): compiled JS and the published package.json. */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

async function lint(dir: string, patterns: string[], config: ScanConfig): Promise<{ files: number; findings: string[] }> {
	// Same options as the scanner's analyzePackage.
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: config as never });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	if (files.length === 0) return { files: 0, findings: ['no files to analyze'] };
	const results = (await eslint.lintFiles(files)) as LintResult[];
	const findings = results.flatMap((result) =>
		result.messages.map(
			(m) =>
				`${relative(dir, result.filePath)}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.message} (${m.ruleId ?? 'parser'})`,
		),
	);
	return { files: files.length, findings };
}

interface PackResult {
	filename: string;
	size: number;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

function pack(into: string): PackResult {
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', into], { cwd: root, encoding: 'utf8' });
	return (JSON.parse(out) as PackResult[])[0];
}

async function main(): Promise<void> {
	console.log('verify: offline. Skipped (they need the internet): registry look-up of the published version, its npm provenance attestation, download of the published tarball and of the attested source.');
	const scanner = (await import(pathToFileURL(scannerPath).href)) as Scanner;
	const config = await scanner.buildScanConfig();
	const work = mkdtempSync(join(tmpdir(), 'verify-'));
	const problems: string[] = [];
	try {
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
		const tarball = pack(work);
		const unpacked = join(work, 'package');
		execFileSync('tar', ['-xzf', tarball.filename, '-C', work], { cwd: work });

		console.log(`\n${tarball.filename}: ${tarball.files.length} files, ${tarball.size} bytes packed, ${tarball.unpackedSize} bytes unpacked`);
		for (const file of tarball.files) console.log(`  ${String(file.size).padStart(7)}  ${file.path}`);
		for (const file of tarball.files) {
			if (/\.(js|ts)\.map$|\.map$/.test(file.path)) problems.push(`tarball ships a source map: ${file.path}`);
			if (/\.d\.ts$/.test(file.path)) problems.push(`tarball ships a declaration file: ${file.path}`);
		}
		const shipped = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[]; credentials?: string[] } };
		const shippedFiles = new Set(tarball.files.map((file) => file.path));
		for (const entry of [...(shipped.n8n?.nodes ?? []), ...(shipped.n8n?.credentials ?? [])]) {
			if (!shippedFiles.has(entry)) problems.push(`package.json lists ${entry}, which the tarball does not ship`);
		}

		for (const [leg, dir, patterns] of [
			['sources', root, scanner.SOURCE_FILE_PATTERNS],
			['tarball', unpacked, TARBALL_FILE_PATTERNS],
		] as const) {
			const { files, findings } = await lint(dir, patterns, config);
			console.log(`\nscanner rules on the ${leg}: ${files} files, ${findings.length} findings`);
			for (const finding of findings) console.log(`  ${finding}`);
			problems.push(...findings.map((finding) => `${leg}: ${finding}`));
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	if (problems.length > 0) {
		console.error(`\nverify: FAILED, ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
		process.exitCode = 1;
		return;
	}
	console.log('\nverify: passed (0 findings on the sources and on the tarball)');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
