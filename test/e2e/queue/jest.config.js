/**
 * The queue-mode suite, `npm run test:e2e:queue`: n8n's distributed engine (Postgres, Redis, a main,
 * two workers, webhook processors) started for real. Same setup as the end-to-end suite, own files.
 */
const base = require('../jest.config');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	roots: ['<rootDir>/test/e2e/queue'],
	testMatch: ['**/*.queue.ts'],
	testTimeout: 600000,
};
