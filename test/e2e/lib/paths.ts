import * as path from 'node:path';

/** The repository root, derived from this file's place in test/e2e/lib. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Git-ignored home of the pinned n8n installs (several GB); `E2E_N8N_CACHE` moves it elsewhere. */
export const CACHE_DIR = process.env.E2E_N8N_CACHE ? path.resolve(process.env.E2E_N8N_CACHE) : path.join(REPO_ROOT, '.n8n-cache');

/** Git-ignored scratch space: throwaway n8n user folders, packed tarballs, logs. */
export const WORK_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.work');

export const E2E_DIR = path.join(REPO_ROOT, 'test', 'e2e');
