/**
 * End-to-end suite against a real n8n: `npm run test:e2e`. Kept apart from the unit tests (`*.test.ts`):
 * one file at a time (each starts n8n processes), long timeouts, and a global setup that prepares the
 * pinned n8n in .n8n-cache/ and packs this package.
 * E2E_N8N_MAJOR=1 runs the same files against the newest n8n 1.x on the system Node.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	// Throwaway n8n folders hold copies of this package; jest must not index them.
	modulePathIgnorePatterns: ['<rootDir>/test/e2e/.work/'],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{
				// Transpile only; `npm run typecheck` covers these files.
				tsconfig: { target: 'es2022', module: 'commonjs', esModuleInterop: true, resolveJsonModule: true, isolatedModules: true },
			},
		],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	maxWorkers: 1,
	testTimeout: 300000,
	slowTestThreshold: 120,
	verbose: true,
};
