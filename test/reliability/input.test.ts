/**
 * Bad input (cases INP-*): every case is refused before any request, with a NodeOperationError
 * that names the field. Both the sandbox log and the process-wide request recorder must stay empty.
 */
// First: captures logs from before n8n-core is loaded.
import './capture';

import { credentialFor } from '../harness';
import { startSandbox, type Sandbox } from '../sandbox';
import { INPUT_CASES, caseTitle, inputParameters, type InputCase } from './cases';
import { finalChecks, installChecks, observe, outboundMark, outboundSince, runChecked } from './support';

installChecks();

describe('bad input is refused before any request', () => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await startSandbox({ port: 0, seed: 31, chats: 20, visitors: 20 })));
	afterAll(async () => await sb.stop());
	beforeEach(() => sb.clearRequests());

	it.each(INPUT_CASES.map((c) => [caseTitle(c.id), c] as const))('%s', async (_title: string, c: InputCase) => {
		const mark = outboundMark();
		const result = await runChecked({ parameters: inputParameters(c), credential: credentialFor(sb), label: c.id });
		const error = result.error as (Error & { description?: string }) | undefined;
		observe(c.id, `${error?.name}: ${error?.message}; ${sb.requests().length} request(s)`);

		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toContain(c.field);
		// The message echoes at most a short, escaped part of the input: no control character, no 10,000 characters.
		expect(error?.message).not.toMatch(/[\u0000-\u001f\u007f]/);
		expect(error?.message.length).toBeLessThan(200);
		expect(result.items).toEqual([]);
		expect(sb.requests()).toEqual([]);
		expect(outboundSince(mark)).toEqual([]);
	});
});

finalChecks({ requests: false });
