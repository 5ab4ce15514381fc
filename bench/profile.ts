/**
 * Summarizes a V8 CPU profile written by `npm run bench -- --profile`:
 *
 *   npx tsx bench/profile.ts bench/results/profiles/<name>.cpuprofile [--top 30]
 *
 * Only the timed run counts when `<name>.window.json` sits next to the profile. Prints the time by
 * package (a sample is charged to the innermost frame that belongs to a package, so Node internals and
 * GC count for whoever called them), the time under each of our node's functions (inclusive), and the
 * hottest functions by self time.
 */
import * as fs from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

const PACKAGES: Array<[RegExp, string]> = [
	[/\/nodes\/ZohoSalesIq\//, 'our node (nodes/ZohoSalesIq)'],
	[/\/credentials\//, 'our credential'],
	[/\/bench\//, 'bench (contender code)'],
	[/\/test\/harness\//, 'harness'],
	[/node_modules\/n8n-core\//, 'n8n-core'],
	[/node_modules\/n8n-workflow\//, 'n8n-workflow'],
	[/node_modules\/@n8n\/([^/]+)\//, '@n8n/$1'],
	[/node_modules\/axios\//, 'axios'],
	[/node_modules\/undici\//, 'undici'],
	[/node_modules\/((?:@[^/]+\/)?[^/]+)\//, '$1'],
];

function packageOf(url: string): string | undefined {
	for (const [pattern, name] of PACKAGES) {
		const m = pattern.exec(url);
		if (m) return name.replace('$1', m[1] ?? '');
	}
	return undefined;
}

function main(): void {
	const [file, ...rest] = process.argv.slice(2);
	if (!file) throw new Error('usage: bench/profile.ts <file.cpuprofile> [--top N]');
	const top = Number(rest[rest.indexOf('--top') + 1] ?? 25) || 25;
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
	const windowFile = file.replace(/\.cpuprofile$/, '.window.json');
	const window = fs.existsSync(windowFile) ? (JSON.parse(fs.readFileSync(windowFile, 'utf8')) as [number, number]) : undefined;

	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

	const byPackage = new Map<string, number>();
	const self = new Map<string, number>();
	const ours = new Map<string, number>();
	let total = 0;
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		const dt = profile.timeDeltas[i + 1] ?? 0;
		if (window && (t < window[0] || t > window[1])) continue;
		total += dt;
		const leaf = byId.get(profile.samples[i])!;
		const frame = leaf.callFrame;
		const label = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|nodes|bench|test)\//, '$1/')}:${frame.lineNumber + 1}`;
		self.set(label, (self.get(label) ?? 0) + dt);

		let charged: string | undefined;
		const ourFrames = new Set<string>();
		for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
			const f = byId.get(id)!.callFrame;
			const pkg = packageOf(f.url);
			if (!charged && pkg) charged = pkg;
			if (pkg?.startsWith('our node')) ourFrames.add(`${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/nodes\//, 'nodes/')}`);
		}
		if (!charged) {
			const name = frame.functionName;
			charged = name === '(garbage collector)' ? 'GC (no package frame)' : name === '(idle)' || name === '(program)' ? name : 'node internals (no package frame)';
		}
		byPackage.set(charged, (byPackage.get(charged) ?? 0) + dt);
		for (const f of ourFrames) ours.set(f, (ours.get(f) ?? 0) + dt);
	}

	const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;
	const print = (title: string, map: Map<string, number>, n = top) => {
		console.log(`\n${title}`);
		for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${ms(v)}  ${k}`);
	};
	console.log(`${file}: ${(total / 1000).toFixed(0)} ms${window ? ' (timed run only)' : ' (whole process)'}`);
	print('by package (innermost package frame):', byPackage);
	print('inclusive time under our node functions:', ours);
	print('self time:', self);
}

main();
