/**
 * Installs a package into an n8n user folder the way n8n's own community-package installer does
 * (n8n 2.41 `CommunityPackagesService.downloadPackage`): `npm pack`, untar into
 * `.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies from its package.json, install
 * its runtime dependencies if it has any, and record it in `.n8n/nodes/package.json`.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, WORK_DIR } from './paths';

const run = promisify(execFile);

function npmEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
	return env;
}

export interface PackedPackage {
	name: string;
	version: string;
	tarball: string;
}

/** `npm pack` of a package folder (by default this repository; its `dist/` must be built). */
export async function packPackage(packageDir = REPO_ROOT, destination = path.join(WORK_DIR, 'packs')): Promise<PackedPackage> {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	for (const file of [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])]) {
		if (!fs.existsSync(path.join(packageDir, file))) {
			throw new Error(`${manifest.name}: ${file} is missing; run \`npm run build\` first`);
		}
	}
	fs.mkdirSync(destination, { recursive: true });
	// --ignore-scripts: the package is already built, and packing must not rebuild it behind the tests' back.
	const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
		cwd: packageDir,
		env: npmEnv(),
		maxBuffer: 64 * 1024 * 1024,
	});
	const [info] = JSON.parse(stdout);
	return { name: info.name, version: info.version, tarball: path.join(destination, info.filename) };
}

let packedRepo: Promise<PackedPackage> | undefined;

/** Packs this repository once per process (`E2E_PACKAGE_DIR` packs another built copy instead). */
export function packRepo(): Promise<PackedPackage> {
	packedRepo ??= packPackage(process.env.E2E_PACKAGE_DIR ? path.resolve(process.env.E2E_PACKAGE_DIR) : REPO_ROOT);
	return packedRepo;
}

/** Unpacks a tarball into `<userFolder>/.n8n/nodes`, as n8n's installer lays it out. Returns the package folder. */
export async function installPackage(userFolder: string, pkg: PackedPackage): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', ...pkg.name.split('/'));
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	await run('tar', ['-xzf', pkg.tarball, '-C', packageDir, '--strip-components=1']);

	const manifestFile = path.join(packageDir, 'package.json');
	const { devDependencies: _d, peerDependencies: _p, optionalDependencies: _o, ...manifest } = JSON.parse(
		fs.readFileSync(manifestFile, 'utf8'),
	);
	fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	if (Object.keys(manifest.dependencies ?? {}).length > 0) {
		await run(
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
			{ cwd: packageDir, env: npmEnv() },
		);
	}

	const nodesManifestFile = path.join(nodesDir, 'package.json');
	const nodesManifest = fs.existsSync(nodesManifestFile)
		? JSON.parse(fs.readFileSync(nodesManifestFile, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	nodesManifest.dependencies = { ...nodesManifest.dependencies, [pkg.name]: pkg.version };
	fs.writeFileSync(nodesManifestFile, JSON.stringify(nodesManifest, null, 2));
	return packageDir;
}
