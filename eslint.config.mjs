import tseslint from 'typescript-eslint';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const tsFiles = ['**/*.ts'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.n8n-cache/**', 'coverage/**', 'test/e2e/.work/**'] },
	{
		files: tsFiles,
		languageOptions: { parser: tseslint.parser, sourceType: 'module' },
	},
	// The package itself: both n8n plugins, with the n8n Cloud rules included.
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunityNodesPlugin.configs.recommended,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.nodes.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Main-repository rule: it wants a docs slug, while a community credential links a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	// Tests, sandbox and benchmarks: TypeScript hygiene.
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['test/**/*.ts', 'bench/**/*.ts'] })),
	{
		files: ['test/**/*.ts', 'bench/**/*.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			// The harness loads node classes lazily with require().
			'@typescript-eslint/no-require-imports': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
		},
	},
];
