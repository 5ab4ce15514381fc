/**
 * One contender run in its own process, so that peak RSS belongs to that contender alone.
 *
 *   node --expose-gc --import tsx bench/worker.ts <scenario> <contender> <job.json> [--log]
 *
 * Loads the contender, runs the scenario's small warm-up (a long-lived n8n process has its code
 * warm), clears the sandbox's request log, runs the timed work, and prints one line:
 * `BENCH_RESULT {json}` (see WorkerReport). The latency is the sandbox's, given by the job file.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

import { clearRequests, readRequests } from './lib/control';
import { RESULT_PREFIX, type Contender, type JobFile, type WorkerReport } from './lib/work';

async function load(name: string): Promise<Contender> {
	switch (name) {
		case 'bare':
			return (await import('./contenders/bare')).bare;
		case 'bareEmpty':
			return (await import('./contenders/bare')).bareEmpty;
		case 'node':
			return (await import('./contenders/n8n')).node;
		case 'helper':
			return (await import('./contenders/n8n')).helper;
		case 'n8nEmpty':
			return (await import('./contenders/n8n')).empty;
		default:
			throw new Error(`unknown contender "${name}"`);
	}
}

function gc(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
	const [scenario, contenderName, jobPath, ...flags] = process.argv.slice(2);
	if (!scenario || !contenderName || !jobPath) throw new Error('usage: worker.ts <scenario> <contender> <job.json> [--log]');
	const job = JSON.parse(fs.readFileSync(jobPath, 'utf8')) as JobFile;
	const entry = job.scenarios[scenario];
	if (!entry) throw new Error(`scenario "${scenario}" is not in ${jobPath}`);
	const contender = await load(contenderName);
	await contender.prepare(job.sandbox);

	let warmupMs: number | undefined;
	if (entry.warmup) {
		const started = performance.now();
		const warm = await contender.run(entry.warmup, job.sandbox);
		warmupMs = performance.now() - started;
		if (warm.error) throw new Error(`warm-up failed: ${warm.error}`);
	}

	await clearRequests(job.sandbox.url);
	gc();
	const rssBeforeBytes = process.memoryUsage.rss();
	const startUs = Number(process.hrtime.bigint() / 1000n);
	const started = performance.now();
	const result = await contender.run(entry.work, job.sandbox);
	const ms = performance.now() - started;
	const endUs = Number(process.hrtime.bigint() / 1000n);
	const maxRssBytes = process.resourceUsage().maxRSS * 1024;
	const log = await readRequests(job.sandbox.url);

	const report: WorkerReport = {
		scenario,
		contender: contenderName,
		ms,
		warmupMs,
		requests: log.length,
		...(flags.includes('--log') ? { requestLog: log } : {}),
		units: result.units,
		...(result.keys ? { uniqueKeys: new Set(result.keys).size } : {}),
		...(result.bytes !== undefined ? { bytes: result.bytes } : {}),
		...(result.n8nItems !== undefined ? { n8nItems: result.n8nItems } : {}),
		...(result.error ? { error: result.error } : {}),
		maxRssBytes,
		rssBeforeBytes,
		windowUs: [startUs, endUs],
	};
	process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(report)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	},
);
