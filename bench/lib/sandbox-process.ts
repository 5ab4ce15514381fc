/** Runs the sandbox CLI in its own process, so it shares neither event loop nor memory with a contender. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

import type { SandboxInfo } from './work';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface SandboxProcess {
	info: SandboxInfo;
	pid: number;
	stop(): Promise<void>;
}

export interface SandboxArgs {
	seed: string;
	chats: number;
	visitors: number;
	anchorTime: number;
	latencyMs: number;
}

const live = new Set<ChildProcess>();
// An interrupted bench must not leave a sandbox behind.
process.once('exit', () => {
	for (const child of live) child.kill('SIGKILL');
});

export function startSandboxProcess(args: SandboxArgs): Promise<SandboxProcess> {
	const child: ChildProcess = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			path.join(REPO_ROOT, 'test', 'sandbox', 'cli.ts'),
			'--port',
			'0',
			'--seed',
			args.seed,
			'--chats',
			String(args.chats),
			'--visitors',
			String(args.visitors),
			'--anchor-time',
			String(args.anchorTime),
			'--latency',
			String(args.latencyMs),
			// Long enough that no token expires during a run: refreshes are not part of the work.
			'--token-ttl',
			'86400',
		],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	live.add(child);
	const exited = new Promise<void>((resolve) =>
		child.once('exit', () => {
			live.delete(child);
			resolve();
		}),
	);
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		let done = false;
		const fail = (why: string) => {
			if (done) return;
			done = true;
			child.kill('SIGKILL');
			reject(new Error(`sandbox: ${why}\n${out}\n${err}`.trim()));
		};
		const timer = setTimeout(() => fail('no connection details after 60 s'), 60_000);
		child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
		child.stdout!.on('data', (c: Buffer) => {
			if (done) return;
			out += c.toString();
			const newline = out.indexOf('\n');
			if (newline < 0) return;
			clearTimeout(timer);
			done = true;
			const info = JSON.parse(out.slice(0, newline)) as SandboxInfo;
			resolve({
				info,
				pid: child.pid!,
				async stop() {
					if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
					const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
					await exited;
					clearTimeout(timeout);
				},
			});
		});
		child.once('exit', (code) => fail(`exited with ${code}`));
	});
}
