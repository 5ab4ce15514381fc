/**
 * `npm run bench [-- options]`: our node (A) against a bare undici client (B) on the same sandbox,
 * alternating, several rounds, medians. See docs/BENCHMARKS.md.
 *
 *   --quick             reduced set: scenarios 1-3 at 0 ms, A, B and H, 3 rounds
 *   --rounds N          rounds per contender (default 5; quick 3)
 *   --latency 0,20      sandbox latencies in ms
 *   --scenarios a,b     scenario ids (chats-all, transcripts, visitors-all, chats-limit, attachments)
 *   --contenders a,b    node, bare, helper (default all three)
 *   --no-baseline       skip the empty-workflow memory baselines
 *   --real-only         only contender C and our node in the real n8n (no in-process contenders)
 *   --real-rounds N     rounds in the real n8n (default: --rounds, at most 3; each run is a whole n8n process)
 *   --no-real-n8n       skip contender C (n8n's HTTP Request node in the real n8n of the e2e tests, next to
 *                       our node in the same n8n); it runs by default in the full set when that n8n is installed
 *   --log               keep every request line in the results file
 *   --node-patch FILE   measure the node with a proposed patch applied (patch -p1; repeatable); nodes/ is untouched
 *   --item-concurrency N  items in flight for per-item work in B and H (default: ITEM_CONCURRENCY in
 *                       lib/scenarios.ts, which must match the node); use with --node-patch to try a change
 *   --profile           write a V8 CPU profile of every worker to bench/results/profiles/ (slower runs;
 *                       summarize with `npx tsx bench/profile.ts <file.cpuprofile>`)
 *
 * Writes bench/results/<date>.json and .md (git-ignored). The last line printed is
 * `ratio node/helper: X.XX`, the worst A/H ratio of the export scenarios run at 0 ms (our own cost: n8n's helper
 * alone does the same requests), after `ratio node/bare: X.XX`, the worst A/B ratio of the same set.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Sandbox } from '../test/sandbox';
import { compileForWorkers } from './lib/compile';
import { datasetHead } from './lib/control';
import type { RealResult } from './real-n8n';
import { mainTable, problemList, realN8nTable, summarizeScenario, type RunRecord, type ScenarioSummary } from './lib/report';
import { REPO_ROOT, startSandboxProcess } from './lib/sandbox-process';
import { buildScenarios, DATASET, type Scenario } from './lib/scenarios';
import { fixed, mb, median } from './lib/stats';
import { RESULT_PREFIX, type JobFile, type WorkerReport } from './lib/work';

interface Options {
	quick: boolean;
	rounds: number;
	latencies: number[];
	scenarios?: string[];
	contenders: string[];
	baseline: boolean;
	realN8n: boolean;
	inProcess: boolean;
	log: boolean;
	profile: boolean;
	patches: string[];
	itemConcurrency?: number;
	realRounds: number;
}

const FLAGS = ['--quick', '--no-baseline', '--real-only', '--no-real-n8n', '--log', '--profile'];
const VALUED = ['--rounds', '--latency', '--scenarios', '--contenders', '--real-rounds', '--node-patch', '--item-concurrency'];

function parseOptions(argv: string[]): Options {
	for (let i = 0; i < argv.length; i++) {
		if (VALUED.includes(argv[i]) && argv[i + 1] !== undefined) i++;
		else if (!FLAGS.includes(argv[i])) throw new Error(`unknown option ${argv[i]} (see the header of bench/run.ts)`);
	}
	const quick = argv.includes('--quick');
	const value = (flag: string) => {
		const i = argv.indexOf(flag);
		return i >= 0 ? argv[i + 1] : undefined;
	};
	const list = (flag: string) => value(flag)?.split(',').map((s) => s.trim()).filter(Boolean);
	return {
		quick,
		rounds: Number(value('--rounds') ?? (quick ? 3 : 5)),
		latencies: (list('--latency') ?? (quick ? ['0'] : ['0', '20'])).map(Number),
		scenarios: list('--scenarios') ?? (quick ? ['chats-all', 'transcripts', 'visitors-all'] : undefined),
		contenders: list('--contenders') ?? ['node', 'bare', 'helper'],
		baseline: !argv.includes('--no-baseline') && !quick,
		realN8n: argv.includes('--real-only') || (!quick && !argv.includes('--no-real-n8n')),
		inProcess: !argv.includes('--real-only'),
		log: argv.includes('--log'),
		profile: argv.includes('--profile'),
		realRounds: Number(value('--real-rounds') ?? Math.min(Number(value('--rounds') ?? (quick ? 3 : 5)), 3)),
		itemConcurrency: value('--item-concurrency') ? Number(value('--item-concurrency')) : undefined,
		patches: argv.flatMap((a, i) => (a === '--node-patch' && argv[i + 1] ? [argv[i + 1]] : [])),
	};
}

const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
/**
 * Scratch space: compiled workers, job files, the package and user folder of the real n8n. Under
 * node_modules/.cache so that packages resolve from the compiled files and no linter walks into it.
 */
const WORK = path.join(REPO_ROOT, 'node_modules', '.cache', 'zoho-salesiq-bench');
const COMPILED = path.join(WORK, `js-${process.pid}`);
const WORKER = path.join(COMPILED, 'bench', 'worker.js');
const WORKER_TIMEOUT_MS = 300_000;

const PROFILES = path.join(RESULTS, 'profiles');

function runWorker(scenario: string, contender: string, jobFile: string, log: boolean, profile?: string): Promise<WorkerReport> {
	const profiling = profile ? ['--cpu-prof', '--cpu-prof-interval=50', `--cpu-prof-dir=${PROFILES}`, `--cpu-prof-name=${profile}.cpuprofile`] : [];
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--expose-gc', ...profiling, WORKER, scenario, contender, jobFile, ...(log ? ['--log'] : [])],
			{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
		);
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
			if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerReport);
			else reject(new Error(`worker ${scenario}/${contender} failed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(0, 6).join(' | ')}`));
		});
	});
}

/** Differences between what a run returned and what the dataset holds. */
function check(scenario: Scenario, report: WorkerReport): string[] {
	const problems: string[] = [];
	const e = scenario.expected;
	if (report.error) problems.push(`error: ${report.error}`);
	if (report.units !== e.units) problems.push(`${report.units} ${scenario.unit}, expected ${e.units}`);
	if (e.uniqueKeys !== undefined && report.uniqueKeys !== e.uniqueKeys) problems.push(`${report.uniqueKeys} distinct ids, expected ${e.uniqueKeys}`);
	if (e.bytes !== undefined && report.bytes !== e.bytes) problems.push(`${report.bytes} bytes, expected ${e.bytes}`);
	return problems;
}

/** Rotates the contender order each round, so no contender always runs first or last. */
function rotate<T>(items: T[], by: number): T[] {
	const k = by % items.length;
	return [...items.slice(k), ...items.slice(0, k)];
}

/** Scratch folders of earlier runs that were interrupted (their process is gone). */
function removeLeftovers(dir: string): void {
	for (const name of fs.readdirSync(dir)) {
		const pid = Number((/^(?:js|real-n8n)-(\d+)$/.exec(name) ?? /^job-(\d+)-\d+\.json$/.exec(name))?.[1]);
		if (!pid || pid === process.pid) continue;
		try {
			process.kill(pid, 0);
		} catch {
			fs.rmSync(path.join(dir, name), { recursive: true, force: true });
		}
	}
}

function say(line: string): void {
	process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2));
	const started = Date.now();
	fs.mkdirSync(WORK, { recursive: true });
	fs.mkdirSync(RESULTS, { recursive: true });
	removeLeftovers(WORK);
	compileForWorkers(REPO_ROOT, COMPILED, options.patches);
	if (options.patches.length) say(`node patched with ${options.patches.join(', ')}`);
	process.once('exit', () => fs.rmSync(COMPILED, { recursive: true, force: true }));

	// The same dataset the sandbox process builds from the same seed; never started here.
	const dataset = new Sandbox({ ...DATASET, port: 0 }).dataset;
	const scenarios = buildScenarios(dataset, options.itemConcurrency).filter((s) => !options.scenarios || options.scenarios.includes(s.id));
	if (scenarios.length === 0) throw new Error(`no scenario matches ${options.scenarios?.join(',')}`);

	const records: RunRecord[] = [];
	const baselines: RunRecord[] = [];
	for (const latencyMs of options.inProcess ? options.latencies : []) {
		const sandbox = await startSandboxProcess({ ...DATASET, anchorTime: DATASET.anchorTime, latencyMs });
		try {
			const head = await datasetHead(sandbox.info.url, 3);
			const mine = dataset.chats.slice(0, 3).map((c) => `${c.chat_id}@${c.chatinitiated_time}`).join(',');
			const theirs = head.chats.map((c) => `${c.chat_id}@${c.chatinitiated_time}`).join(',');
			if (mine !== theirs || head.counts.chats !== dataset.chats.length) {
				throw new Error(`the sandbox process built a different dataset (${theirs} vs ${mine})`);
			}
			const job: JobFile = {
				sandbox: sandbox.info,
				scenarios: Object.fromEntries([
					...scenarios.map((s) => [s.id, { work: s.work, warmup: s.warmup }] as const),
					['empty', { work: { kind: 'empty' as const } }] as const,
				]),
			};
			const jobFile = path.join(WORK, `job-${process.pid}-${latencyMs}.json`);
			fs.writeFileSync(jobFile, JSON.stringify(job));
			say(`sandbox pid ${sandbox.pid}, latency ${latencyMs} ms, ${scenarios.length} scenario(s) x ${options.contenders.join('/')} x ${options.rounds} rounds`);

			// One untimed pass of every scenario warms the sandbox process (its JIT, its heap), so that
			// no contender pays for that in the first round. The bare client is the cheapest way.
			for (const scenario of scenarios) await runWorker(scenario.id, 'bare', jobFile, false).catch(() => undefined);

			for (let round = 1; round <= options.rounds; round++) {
				for (const scenario of scenarios) {
					for (const contender of rotate(options.contenders, round - 1)) {
						const record: RunRecord = { latencyMs, round, scenario: scenario.id, contender, problems: [] };
						try {
							const profile = options.profile ? `${scenario.id}-${latencyMs}ms-${contender}-r${round}` : undefined;
							record.report = await runWorker(scenario.id, contender, jobFile, options.log, profile);
							if (profile) fs.writeFileSync(path.join(PROFILES, `${profile}.window.json`), JSON.stringify(record.report.windowUs));
							record.problems = check(scenario, record.report);
						} catch (error) {
							record.failure = (error as Error).message;
						}
						records.push(record);
						const r = record.report;
						say(
							`  ${latencyMs} ms r${round} ${scenario.id.padEnd(12)} ${contender.padEnd(6)} ` +
								(r
									? `${r.ms.toFixed(0).padStart(6)} ms  ${String(r.requests).padStart(5)} req  ${mb(r.maxRssBytes).padStart(4)} MB  ${r.units} ${scenario.unit}` +
										(record.problems.length ? `  !! ${record.problems.join('; ')}` : '')
									: `FAILED ${record.failure}`),
						);
					}
				}
				if (options.baseline && latencyMs === options.latencies[0]) {
					for (const contender of ['n8nEmpty', 'bareEmpty']) {
						const record: RunRecord = { latencyMs, round, scenario: 'empty', contender, problems: [] };
						try {
							record.report = await runWorker('empty', contender, jobFile, false);
						} catch (error) {
							record.failure = (error as Error).message;
						}
						baselines.push(record);
					}
				}
			}
			fs.rmSync(jobFile, { force: true });
		} finally {
			await sandbox.stop();
		}
	}

	const summaries: ScenarioSummary[] = [];
	for (const latencyMs of options.latencies) {
		for (const s of scenarios) {
			summaries.push(
				summarizeScenario(
					{
						latencyMs,
						scenario: s.id,
						title: s.title,
						unit: s.unit,
						export: s.export,
						minimumRequests: s.minimumRequests,
						minimumRule: s.minimumRule,
					},
					records.filter((r) => r.latencyMs === latencyMs && r.scenario === s.id),
				),
			);
		}
	}
	const baseline = {
		n8nEmptyRssBytes: median(baselines.filter((b) => b.contender === 'n8nEmpty' && b.report).map((b) => b.report!.maxRssBytes)),
		bareEmptyRssBytes: median(baselines.filter((b) => b.contender === 'bareEmpty' && b.report).map((b) => b.report!.maxRssBytes)),
	};

	const date = new Date().toISOString();
	const machine = {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model,
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
	};
	const table = mainTable(summaries);
	const problems = problemList(summaries);
	const exportAt0 = summaries.filter((s) => s.latencyMs === 0 && s.export && s.ratioNodeBare !== undefined);
	const worst = exportAt0.length ? Math.max(...exportAt0.map((s) => s.ratioNodeBare!)) : undefined;
	const withHelper = exportAt0.filter((s) => s.ratioNodeHelper !== undefined);
	const worstHelper = withHelper.length ? Math.max(...withHelper.map((s) => s.ratioNodeHelper!)) : undefined;

	let realN8n: RealResult | undefined;
	if (options.realN8n) {
		const { runRealN8n } = await import('./real-n8n');
		realN8n = await runRealN8n({
			dataset,
			scenarios,
			rounds: options.realRounds,
			latencies: options.latencies,
			patches: options.patches,
			workDir: path.join(WORK, `real-n8n-${process.pid}`),
			profileDir: options.profile ? path.join(PROFILES, 'real-n8n') : undefined,
			say,
		});
		if (realN8n.status === 'pending') say(`contender C pending: ${realN8n.reason}`);
	}
	const realTable = realN8n?.summaries ? realN8nTable(realN8n.summaries, scenarios) : undefined;

	const stamp = date.replace(/[:]/g, '-').replace(/\..+$/, '');
	const name = `${stamp}${options.quick ? '-quick' : ''}${options.patches.length ? '-patched' : ''}`;
	const result = { date, options, machine, dataset: DATASET, baseline, summaries, records, baselines, realN8n, seconds: (Date.now() - started) / 1000 };
	fs.writeFileSync(path.join(RESULTS, `${name}.json`), `${JSON.stringify(result, null, 1)}\n`);
	const md = [
		`# Benchmark ${date}${options.quick ? ' (quick)' : ''}`,
		'',
		`${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ${options.rounds} rounds; ${((Date.now() - started) / 1000).toFixed(0)} s.`,
		'',
		records.length ? table : '',
		'',
		realTable ? `Real n8n ${realN8n?.n8nVersion} (Node ${realN8n?.nodeVersion}), one \`n8n execute\` process per run:\n\n${realTable}\n` : '',
		options.baseline && baselines.length ? `Empty-workflow peak RSS: n8n-core ${mb(baseline.n8nEmptyRssBytes)} MB, bare process ${mb(baseline.bareEmptyRssBytes)} MB.` : '',
		problems ? `\nProblems:\n${problems}` : '',
	].join('\n');
	fs.writeFileSync(path.join(RESULTS, `${name}.md`), `${md}\n`);

	say('');
	if (records.length) say(table);
	if (realTable) say(`\n${realTable}`);
	if (options.baseline && baselines.length) say(`\nempty-workflow peak RSS: n8n-core ${mb(baseline.n8nEmptyRssBytes)} MB, bare ${mb(baseline.bareEmptyRssBytes)} MB`);
	if (problems) say(`\nproblems:\n${problems}`);
	say(`\nresults: ${path.relative(process.cwd(), path.join(RESULTS, `${name}.json`))} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	say(`ratio node/bare: ${fixed(worst)}`);
	say(`ratio node/helper: ${fixed(worstHelper)}`);
}

// Ctrl-C or a kill: exit through the exit handlers, which stop the sandbox, n8n and their children.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().catch((error: unknown) => {
	process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
