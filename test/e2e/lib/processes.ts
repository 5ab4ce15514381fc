/** What is still running: processes found through /proc (with their descendants), and listening ports. */
import * as fs from 'node:fs';
import * as net from 'node:net';

interface ProcInfo {
	ppid: number;
	cmdline: string;
	environ: string[];
}

function readProc(pid: number): ProcInfo | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		return {
			ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]),
			cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' '),
			environ: fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0'),
		};
	} catch {
		return undefined; // Gone, or not ours to read.
	}
}

/** Processes matching `match`, and all their descendants (children may get a trimmed environment). */
export function processesWhere(match: (info: { pid: number; cmdline: string; environ: string[] }) => boolean): number[] {
	const children = new Map<number, number[]>();
	const roots: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		const pid = Number(entry);
		const info = readProc(pid);
		if (!info) continue;
		children.set(info.ppid, [...(children.get(info.ppid) ?? []), pid]);
		if (match({ pid, cmdline: info.cmdline, environ: info.environ })) roots.push(pid);
	}
	const all = new Set<number>();
	const queue = [...roots];
	while (queue.length > 0) {
		const pid = queue.shift()!;
		if (all.has(pid)) continue;
		all.add(pid);
		queue.push(...(children.get(pid) ?? []));
	}
	return [...all];
}

/** The processes of the n8n that uses this user folder (or any folder under it), with their task runners. */
export function processesOf(folder: string): number[] {
	return processesWhere(({ environ }) =>
		environ.some((v) => v === `N8N_USER_FOLDER=${folder}` || v.startsWith(`N8N_USER_FOLDER=${folder}/`)),
	);
}

export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
