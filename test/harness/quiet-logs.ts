/**
 * Runs before every test file (jest `setupFiles`): n8n's logger writes nothing during `npm test`,
 * so the output shows only jest's own lines. `HARNESS_LOG=1 npm test` keeps n8n's log lines; a
 * test that needs them reads a capture instead (test/reliability/capture.ts).
 */
if (process.env.HARNESS_LOG !== '1' && process.env.N8N_LOG_LEVEL === undefined) process.env.N8N_LOG_LEVEL = 'silent';
