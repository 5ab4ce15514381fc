/**
 * Imported before anything else of the suite, so before n8n-core: n8n's logger is then created at
 * debug level, and it binds console methods that are already captured (winston binds
 * `console.log` once, when its transport is created, and otherwise writes to `console._stdout`).
 * Everything captured is kept off the terminal.
 *
 * At import, only this test file's own console is touched (jest makes one per file). The process's
 * stdout and stderr are taken over from the first test to the last (`captureProcessStreams`), so a
 * file that fails to load can never silence jest's own output.
 */
import { inspect } from 'node:util';

process.env.N8N_LOG_LEVEL = 'debug';

const lines: string[] = [];

function record(...args: unknown[]): void {
	lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8, breakLength: Infinity }))).join(' '));
}

function swallow(stream: NodeJS.WriteStream): jest.SpyInstance {
	return jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
		lines.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
		const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	}) as NodeJS.WriteStream['write']);
}

const spies: jest.SpyInstance[] = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
	jest.spyOn(console, method).mockImplementation(record),
);
// Under jest, console._stdout / console._stderr are either jest's own buffers or the process streams.
for (const key of ['_stdout', '_stderr']) {
	const stream = (console as unknown as Record<string, NodeJS.WriteStream | undefined>)[key];
	if (stream && typeof stream.write === 'function' && stream !== process.stdout && stream !== process.stderr) spies.push(swallow(stream));
}

/** Every line captured so far in this test file. */
export const capturedLines: readonly string[] = lines;

export function captureProcessStreams(): void {
	spies.push(swallow(process.stdout), swallow(process.stderr));
}

export function releaseCapture(): void {
	for (const spy of spies.splice(0)) spy.mockRestore();
}
