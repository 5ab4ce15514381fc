/**
 * Prepares the pinned real n8n in .n8n-cache/ (idempotent; a no-op when the cache is current).
 *
 *   npx tsx test/e2e/setup-n8n.ts          n8n 2.x on its own Node 24 (the default)
 *   npx tsx test/e2e/setup-n8n.ts --v1     n8n 1.x on the system Node 20 (compatibility run)
 *   npx tsx test/e2e/setup-n8n.ts --all    both
 *   add --force to reinstall.
 */
import { ensureN8n, type N8nMajor } from './lib/install';

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const majors: N8nMajor[] = args.includes('--all') ? [2, 1] : args.includes('--v1') ? [1] : [2];
	for (const major of majors) {
		const install = await ensureN8n(major, { force: args.includes('--force') });
		process.stdout.write(`[n8n-setup] n8n ${install.n8nVersion}: ${install.nodeBin} ${install.n8nBin}\n`);
	}
}

main().catch((error) => {
	process.stderr.write(`[n8n-setup] ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
