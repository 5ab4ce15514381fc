/** Shared by the e2e files: which n8n major to run, and the package packed by the global setup. */
import type { N8nMajor } from './install';
import { packRepo, type PackedPackage } from './package';

export const PACKAGE_ENV = 'E2E_PACKED_PACKAGE';

/** `E2E_N8N_MAJOR=1` runs the suite against n8n 1.x on the system Node (the compatibility run). */
export function e2eMajor(): N8nMajor {
	return process.env.E2E_N8N_MAJOR === '1' ? 1 : 2;
}

/** The tarball packed once by the global setup (or packed now, when a file runs on its own). */
export async function packedPackage(): Promise<PackedPackage> {
	const fromSetup = process.env[PACKAGE_ENV];
	return fromSetup ? (JSON.parse(fromSetup) as PackedPackage) : packRepo();
}
