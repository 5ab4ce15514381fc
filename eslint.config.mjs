import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

// The package (nodes/, credentials/, package.json) gets exactly the rules of `n8n-node lint` in strict mode,
// n8n Cloud rules included. Tests, sandbox, benchmarks and scripts are not shipped: they run on Node with its
// network and timers, so they have their own config (eslint.dev.config.mjs, `npm run lint:dev`).
// Why package.json says "strict": false: see "Development" in README.md.
export default [
	globalIgnores(['test/', 'bench/', 'scripts/', 'coverage/', '.n8n-cache/']),
	...config,
];
