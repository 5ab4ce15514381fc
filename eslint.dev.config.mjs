import tseslint from 'typescript-eslint';

// Tests, sandbox, benchmarks and scripts: TypeScript hygiene. The package itself is eslint.config.mjs.
export default tseslint.config(
	{ ignores: ['test/e2e/.work/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			// The harness loads node classes lazily with require().
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
);
