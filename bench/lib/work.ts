/** The contract between the orchestrator (run.ts), the worker process and the contenders. */

/** What a contender needs to reach the sandbox: the CLI's first JSON line, trimmed. */
export interface SandboxInfo {
	url: string;
	clientId: string;
	clientSecret: string;
	screenName: string;
	accessToken: string;
	refreshToken: string;
}

/** One unit of benchmark work, the same for every contender. */
export type WorkSpec =
	| { kind: 'chats'; limit?: number }
	/** `concurrency`: items in flight at once; it must equal what the node does (1 = one item at a time). */
	| { kind: 'transcripts'; input: Array<{ chatId: string }>; concurrency?: number }
	| { kind: 'visitors'; viewId: string; limit?: number }
	| { kind: 'attachments'; input: Array<{ chatId: string; attachmentUrl: string }>; concurrency?: number }
	/** Nothing at all: an n8n-core process running an empty workflow (the baseline). */
	| { kind: 'empty' };

export interface WorkResult {
	/** Work done, in the scenario's unit: chats, transcript messages, visitors, files. */
	units: number;
	/** Identities of the listed objects (chat ids, visitor ids), to check for loss and duplicates. */
	keys?: string[];
	/** Bytes of downloaded files. */
	bytes?: number;
	/** n8n items the node emitted (n8n contenders only). */
	n8nItems?: number;
	/** The run ended with an n8n error (message). */
	error?: string;
}

export interface Contender {
	/** Loads what a long-lived n8n process has loaded before any execution (node classes). */
	prepare(sandbox: SandboxInfo): Promise<void>;
	run(spec: WorkSpec, sandbox: SandboxInfo): Promise<WorkResult>;
}

/** What the orchestrator writes for the workers of one sandbox. */
export interface JobFile {
	sandbox: SandboxInfo;
	/** Per scenario id: the timed work and a small warm-up of the same kind. */
	scenarios: Record<string, { work: WorkSpec; warmup?: WorkSpec }>;
}

/** The last stdout line of a worker, after this prefix. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface WorkerReport {
	scenario: string;
	contender: string;
	/** Wall time of the timed run. */
	ms: number;
	/** Wall time of the warm-up run (same process, smaller work). */
	warmupMs?: number;
	/** Requests the sandbox saw during the timed run. */
	requests: number;
	/** Method and path (with query) of each request, when asked for. */
	requestLog?: string[];
	units: number;
	uniqueKeys?: number;
	bytes?: number;
	n8nItems?: number;
	error?: string;
	/** process.resourceUsage().maxRSS, in bytes: the peak resident set of the worker process. */
	maxRssBytes: number;
	/** RSS just before the timed run (modules loaded, warm-up done). */
	rssBeforeBytes: number;
	/** The timed run on the monotonic clock in µs (the clock of V8 CPU profiles), to cut a profile to it. */
	windowUs: [number, number];
}
