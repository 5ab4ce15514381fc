import { ensureN8n } from './lib/install';
import { packRepo } from './lib/package';
import { e2eMajor, PACKAGE_ENV } from './lib/suite';

/** Runs once before the e2e files: prepares the pinned n8n (cached) and packs this package once. */
export default async function globalSetup(): Promise<void> {
	await ensureN8n(e2eMajor());
	const pkg = await packRepo();
	process.stdout.write(`\n[e2e] packed ${pkg.name}@${pkg.version}\n`);
	process.env[PACKAGE_ENV] = JSON.stringify(pkg);
}
