/**
 * Transpiles the worker and everything it loads (bench, harness, node, credential) to plain
 * JavaScript, with the project's own compiler options, so that workers run on bare `node`: no TS
 * loader in the measured process (tsx alone adds ~45 MB of RSS and its own start-up time), and the
 * node runs as compiled JavaScript, as it does from dist/ inside n8n.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const WORKER_SOURCES = ['bench', 'test/harness', 'nodes', 'credentials'];

function walk(dir: string, out: string[]): void {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (entry.name === 'node_modules' || entry.name === 'results' || entry.name.startsWith('.')) continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, out);
		else if (/\.(ts|json|svg|png)$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
	}
}

/**
 * Writes `<outDir>/<path>.js` for every source; returns the number of files. With `patches` (unified
 * diffs against the repository, `patch -p1`), the sources are patched in a scratch copy first: that is
 * how a proposed change to the node is measured without touching nodes/.
 */
export function compileForWorkers(repoRoot: string, outDir: string, patches: string[] = [], sources = WORKER_SOURCES): number {
	const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
	const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
	const compilerOptions: ts.CompilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false };
	fs.rmSync(outDir, { recursive: true, force: true });
	let root = repoRoot;
	if (patches.length > 0) {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-src-'));
		for (const dir of sources) {
			if (fs.existsSync(path.join(repoRoot, dir))) {
				fs.cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true, filter: (src) => !/[/\\](results|node_modules)$/.test(src) });
			}
		}
		for (const patch of patches) execFileSync('patch', ['-p1', '--forward', '--silent', '-d', root, '-i', path.resolve(patch)], { stdio: 'inherit' });
	}
	const files: string[] = [];
	for (const dir of sources) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir), files);
	for (const file of files) {
		const rel = path.relative(root, file);
		const target = path.join(outDir, rel.endsWith('.ts') ? rel.replace(/\.ts$/, '.js') : rel);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		if (!rel.endsWith('.ts')) {
			fs.copyFileSync(file, target);
			continue;
		}
		const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: rel });
		fs.writeFileSync(target, output.outputText);
	}
	if (root !== repoRoot) fs.rmSync(root, { recursive: true, force: true });
	return files.length;
}
