/** Aggregation of worker reports into medians and ratios, and the markdown tables. */
import { fixed, mb, median, ms, pairedRatio } from './stats';
import type { WorkerReport } from './work';

export interface RunRecord {
	latencyMs: number;
	round: number;
	scenario: string;
	contender: string;
	report?: WorkerReport;
	failure?: string;
	problems: string[];
}

export interface ContenderSummary {
	runs: number;
	failures: number;
	medianMs: number;
	allMs: number[];
	/** Requests of every run (they should all be equal). */
	requests: number[];
	medianRssBytes: number;
	units: number;
	itemsPerSecond: number;
	problems: string[];
}

export interface ScenarioSummary {
	latencyMs: number;
	scenario: string;
	title: string;
	unit: string;
	export: boolean;
	minimumRequests: number;
	minimumRule: string;
	contenders: Record<string, ContenderSummary>;
	/** median(A) / median(B), and the median of the per-round A/B ratios. */
	ratioNodeBare?: number;
	pairedRatioNodeBare?: number;
	ratioHelperBare?: number;
	ratioNodeHelper?: number;
}

export function summarizeContender(records: RunRecord[]): ContenderSummary {
	const ok = records.filter((r) => r.report && !r.failure);
	const allMs = ok.map((r) => r.report!.ms);
	const medianMs = median(allMs);
	const units = median(ok.map((r) => r.report!.units));
	return {
		runs: records.length,
		failures: records.length - ok.length,
		medianMs,
		allMs,
		requests: ok.map((r) => r.report!.requests),
		medianRssBytes: median(ok.map((r) => r.report!.maxRssBytes)),
		units,
		itemsPerSecond: units / (medianMs / 1000),
		problems: [...new Set(records.flatMap((r) => [...r.problems, ...(r.failure ? [r.failure.split('\n')[0]] : [])]))],
	};
}

/** Per-round values of one contender, in round order, for paired ratios. */
function byRound(records: RunRecord[], contender: string): number[] {
	return records
		.filter((r) => r.contender === contender && r.report && !r.failure)
		.sort((a, b) => a.round - b.round)
		.map((r) => r.report!.ms);
}

export function summarizeScenario(
	meta: Omit<ScenarioSummary, 'contenders'>,
	records: RunRecord[],
): ScenarioSummary {
	const contenders: Record<string, ContenderSummary> = {};
	for (const name of [...new Set(records.map((r) => r.contender))]) {
		contenders[name] = summarizeContender(records.filter((r) => r.contender === name));
	}
	const a = contenders.node?.medianMs;
	const b = contenders.bare?.medianMs;
	const h = contenders.helper?.medianMs;
	return {
		...meta,
		contenders,
		...(a && b ? { ratioNodeBare: a / b, pairedRatioNodeBare: pairedRatio(byRound(records, 'node'), byRound(records, 'bare')) } : {}),
		...(h && b ? { ratioHelperBare: h / b } : {}),
		...(a && h ? { ratioNodeHelper: a / h } : {}),
	};
}

function requestsCell(summary: ContenderSummary | undefined): string {
	if (!summary || summary.requests.length === 0) return '–';
	const lo = Math.min(...summary.requests);
	const hi = Math.max(...summary.requests);
	return lo === hi ? String(lo) : `${lo}–${hi}`;
}

function rate(value: number | undefined): string {
	if (value === undefined || !Number.isFinite(value)) return '–';
	return value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0);
}

/** The main table: one row per scenario and latency. */
export function mainTable(summaries: ScenarioSummary[]): string {
	const lines = [
		'| # | Scenario | Latency | A node ms | B bare ms | **A/B** | H helper ms | H/B (n8n) | A/H (ours) | Requests A / B / min | Peak RSS A / B MB | A / B items/s |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	summaries.forEach((s) => {
		const A = s.contenders.node;
		const B = s.contenders.bare;
		const H = s.contenders.helper;
		const no = SCENARIO_NUMBERS[s.scenario] ?? '';
		lines.push(
			`| ${no} | ${s.title} | ${s.latencyMs} ms | ${ms(A?.medianMs)} | ${ms(B?.medianMs)} | **${fixed(s.ratioNodeBare)}** | ${ms(H?.medianMs)} | ${fixed(s.ratioHelperBare)} | ${fixed(s.ratioNodeHelper)} | ${requestsCell(A)} / ${requestsCell(B)} / ${s.minimumRequests} | ${mb(A?.medianRssBytes)} / ${mb(B?.medianRssBytes)} | ${rate(A?.itemsPerSecond)} / ${rate(B?.itemsPerSecond)} ${s.unit} |`,
		);
	});
	return lines.join('\n');
}

export const SCENARIO_NUMBERS: Record<string, string> = {
	'chats-all': '1',
	transcripts: '2',
	'visitors-all': '3',
	'chats-limit': '4',
	attachments: '5',
};

/** Every problem any run reported (wrong counts, errors), or an empty string. */
export function problemList(summaries: ScenarioSummary[]): string {
	const lines: string[] = [];
	for (const s of summaries) {
		for (const [name, c] of Object.entries(s.contenders)) {
			for (const p of c.problems) lines.push(`- ${s.scenario} @ ${s.latencyMs} ms, ${name}: ${p}`);
		}
	}
	return lines.join('\n');
}

/** Contender C next to our node, both in the real n8n. */
export function realN8nTable(
	summaries: Array<{
		latencyMs: number;
		scenario: string;
		node: { processMs: number; executionMs: number; requests: number[]; items: number[]; peakRssBytes: number };
		httpRequest: { processMs: number; executionMs: number; requests: number[]; items: number[]; peakRssBytes: number };
		executionRatio: number;
		processRatio: number;
	}>,
	scenarios: Array<{ id: string; title: string; minimumRequests: number; unit: string }>,
): string {
	const range = (values: number[]) => {
		if (values.length === 0) return '–';
		const lo = Math.min(...values);
		const hi = Math.max(...values);
		return lo === hi ? String(lo) : `${lo}–${hi}`;
	};
	const lines = [
		'| # | Scenario | Latency | ours: execution / process ms | C HTTP Request: execution / process ms | **C/ours** (execution) | C/ours (process) | Requests ours / C / min | Items ours / C | Peak RSS ours / C MB |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const s of summaries) {
		const scenario = scenarios.find((x) => x.id === s.scenario);
		lines.push(
			`| ${SCENARIO_NUMBERS[s.scenario] ?? ''} | ${scenario?.title ?? s.scenario} | ${s.latencyMs} ms | ${ms(s.node.executionMs)} / ${ms(s.node.processMs)} | ${ms(s.httpRequest.executionMs)} / ${ms(s.httpRequest.processMs)} | **${fixed(s.executionRatio)}** | ${fixed(s.processRatio)} | ${range(s.node.requests)} / ${range(s.httpRequest.requests)} / ${scenario?.minimumRequests ?? '–'} | ${range(s.node.items)} / ${range(s.httpRequest.items)} | ${mb(s.node.peakRssBytes)} / ${mb(s.httpRequest.peakRssBytes)} |`,
		);
	}
	return lines.join('\n');
}
