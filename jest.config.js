/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// End-to-end folders hold packed copies of the package; never index them.
	modulePathIgnorePatterns: ['<rootDir>/test/e2e/.work/'],
	transform: {
		// Type checking is `npm run typecheck`; tests only transpile, which keeps them fast.
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 60000,
	// n8n's logger is silent unless HARNESS_LOG=1.
	setupFiles: ['<rootDir>/test/harness/quiet-logs.ts'],
};
