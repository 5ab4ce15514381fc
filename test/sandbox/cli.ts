/**
 * `npm run sandbox -- [--port N] [--seed S] [--chats N] [--visitors N] [--latency MS] [--latency-jitter MS]
 *   [--variant NAME=VALUE]... [--errors-as-200] [--token-ttl SECONDS] [--deny] [--anchor-time MS|ISO]
 *   [--legacy-expires-in] [--fault JSON]...`
 * Prints one JSON line with the connection details, then human-readable lines. Stops on SIGINT/SIGTERM.
 */
import { startSandbox } from './index';
import type { Fault, SandboxOptions } from './index';
import { parseVariant, resolveVariants, VARIANT_NAMES, VARIANTS } from './variants';

const USAGE = `usage: npm run sandbox -- [--port N] [--seed S] [--chats N] [--visitors N] [--latency MS]
  [--latency-jitter MS] [--variant NAME=VALUE]... [--errors-as-200] [--token-ttl SECONDS] [--deny]
  [--anchor-time MS|ISO] [--legacy-expires-in] [--fault JSON]...
variants (first value is the default):
${VARIANT_NAMES.map((name) => `  ${name}: ${VARIANTS[name].join(' | ')}`).join('\n')}
--errors-as-200 is --variant errors=200; --legacy-expires-in is --variant token-expiry=milliseconds`;

const DEFAULT_PORT = 8787;

function integer(flag: string, value: string | undefined): number {
	if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${flag} needs a non-negative integer`);
	return Number(value);
}

function time(value: string | undefined): number {
	if (value !== undefined && /^\d+$/.test(value)) return Number(value);
	const parsed = value === undefined ? Number.NaN : Date.parse(value);
	if (Number.isNaN(parsed)) throw new Error('--anchor-time needs epoch milliseconds or an ISO date');
	return parsed;
}

function parseArgs(argv: string[]): SandboxOptions {
	const options: SandboxOptions = { port: DEFAULT_PORT };
	const faults: Fault[] = [];
	const variants: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const next = () => argv[++i];
		switch (flag) {
			case '--port':
				options.port = integer(flag, next());
				break;
			case '--seed': {
				const seed = next();
				if (seed === undefined) throw new Error('--seed needs a value');
				options.seed = /^\d+$/.test(seed) ? Number(seed) : seed;
				break;
			}
			case '--chats':
				options.chats = integer(flag, next());
				break;
			case '--visitors':
				options.visitors = integer(flag, next());
				break;
			case '--latency':
				options.latencyMs = integer(flag, next());
				break;
			case '--latency-jitter':
				options.latencyJitterMs = integer(flag, next());
				break;
			case '--token-ttl':
				options.tokenTtlSeconds = integer(flag, next());
				break;
			case '--anchor-time':
				options.anchorTime = time(next());
				break;
			case '--variant': {
				const [name, value] = parseVariant(next());
				variants[name] = value;
				break;
			}
			case '--errors-as-200':
				variants.errors = '200';
				break;
			case '--deny':
				options.deny = true;
				break;
			case '--legacy-expires-in':
				variants['token-expiry'] = 'milliseconds';
				break;
			case '--fault': {
				const raw = next();
				try {
					faults.push(JSON.parse(raw ?? '') as Fault);
				} catch {
					throw new Error('--fault needs a JSON object');
				}
				break;
			}
			default:
				throw new Error(`unknown option ${flag}`);
		}
	}
	if (faults.length > 0) options.faults = faults;
	resolveVariants(variants);
	if (Object.keys(variants).length > 0) options.variants = variants;
	return options;
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	if (argv.includes('--help') || argv.includes('-h')) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	let options: SandboxOptions;
	try {
		options = parseArgs(argv);
	} catch (error) {
		process.stderr.write(`sandbox: ${(error as Error).message}\n${USAGE}\n`);
		process.exitCode = 2;
		return;
	}
	const started = Date.now();
	const sandbox = await startSandbox(options);
	process.stdout.write(`${JSON.stringify(sandbox.info())}\n`);
	const { dataset } = sandbox;
	const lines = [
		`Zoho SalesIQ sandbox ready in ${Date.now() - started} ms on ${sandbox.url}`,
		`  screen name ${sandbox.screenName}; ${dataset.chats.length} chats, ${dataset.visitors.length} visitors`,
		`  chats from ${new Date(Number(dataset.chats[dataset.chats.length - 1]?.chatinitiated_time ?? dataset.anchorTime)).toISOString()} to ${new Date(dataset.anchorTime).toISOString()}`,
		`  authorize ${sandbox.url}/oauth/v2/auth   token ${sandbox.url}/oauth/v2/token`,
		`  API ${sandbox.url}/api/v1/${sandbox.screenName}/...   control ${sandbox.url}/__sandbox/info`,
	];
	if (options.faults) lines.push(`  faults: ${sandbox.faults().map((f) => `${f.id}=${f.kind}`).join(', ')}`);
	if (options.deny) lines.push('  --deny: authorization requests are refused');
	const inForce = sandbox.variantsInForce;
	lines.push(`  variants: ${inForce.length > 0 ? inForce.join(', ') : 'all defaults'}`);
	if (sandbox.filesUrl) lines.push(`  file host ${sandbox.filesUrl}`);
	process.stdout.write(`${lines.join('\n')}\n`);

	const shutdown = (signal: string) => {
		process.stdout.write(`sandbox: ${signal}, stopping\n`);
		sandbox.stop().then(() => process.exit(0), () => process.exit(1));
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(`sandbox: ${(error as Error).message}\n`);
	process.exit(1);
});
