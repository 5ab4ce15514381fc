/**
 * Runs the reliability suite and writes docs/RELIABILITY.md from its results:
 *
 *   npx tsx test/reliability/report.ts
 *
 * Every case of cases.ts becomes one row. "pass" means every test whose title starts with the
 * case id passed; the "What the node did" column is what those tests observed (see observe() in
 * support.ts). Exits non-zero when a case failed or was not run. doc.test.ts then keeps the doc
 * and cases.ts in step inside `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

import { cell } from '../harness/doc-table';
import { AREA_ORDER, CASES, caseIdOf, type Area } from './cases';

const ROOT = resolve(__dirname, '../..');
const DOC = join(ROOT, 'docs/RELIABILITY.md');

interface JestAssertion {
	title: string;
	status: string;
}
interface JestFile {
	name: string;
	assertionResults: JestAssertion[];
}

const AREAS: Array<{ area: Area; title: string; intro: string }> = [
	{
		area: 'Faults',
		title: 'Faults, for every read operation',
		intro:
			'Injected through the sandbox into the requests of each read operation: throttling, server errors, dropped connections, a hang past the Timeout option, and bodies the node cannot read. Recovering cases check the full result against the sandbox dataset and count the extra requests; failing cases check for exactly one clear error and no items.',
	},
	{
		area: 'Paging',
		title: 'Faults in the middle of paging, and data that changes while paging',
		intro: 'Exports of 10,000 chats (100 per page), compared with the sandbox dataset by chat_id, plus the other two paging styles.',
	},
	{ area: 'Tokens', title: 'Token economy, OAuth faults, writes that must not repeat', intro: 'Each case runs against a fresh sandbox.' },
	{
		area: 'Input',
		title: 'Bad input',
		intro: 'Each case must end in a NodeOperationError that names the field, with no request in the sandbox log and none recorded by the process-wide request recorder.',
	},
	{
		area: 'Secrets',
		title: 'Secrets',
		intro:
			'SEC-01 and SEC-02 run at the end of every test file, over everything that file produced: each run’s error (message, description, cause chain, stack), items and run data, and every log line (n8n’s logger at debug level, console, stdout, stderr). The secrets are the client secret and every access and refresh token the file used or obtained.',
	},
	{
		area: 'Hosts',
		title: 'Where the token goes',
		intro:
			'HOST-01 runs at the end of every test file: every outgoing HTTP request of the process is recorded, requests to real Zoho hosts are cut off before they leave the machine, and each bearer token must have gone only to the SalesIQ host of a credential that holds it.',
	},
	{
		area: 'Server',
		title: 'Answers the node cannot trust',
		intro: 'Small hostile servers on 127.0.0.1 answer with text, times, sizes and file names that SalesIQ would never send, to show what such an answer can and cannot make the node do.',
	},
	{ area: 'Trigger', title: 'Trigger', intro: 'The Zoho SalesIQ Trigger behind a real HTTP server (test/harness/webhook.ts), subscribed through the sandbox.' },
];


function main(): number {
	const work = mkdtempSync(join(tmpdir(), 'reliability-'));
	const observations = join(work, 'observations.jsonl');
	const results = join(work, 'results.json');
	writeFileSync(observations, '');
	const started = Date.now();
	spawnSync(
		'npx',
		['jest', 'test/reliability', '--testPathIgnorePatterns', 'doc\\.test\\.ts', '--json', `--outputFile=${results}`],
		{ cwd: ROOT, stdio: 'inherit', env: { ...process.env, RELIABILITY_OBSERVATIONS: observations } },
	);
	const seconds = Math.round((Date.now() - started) / 1000);
	const files = (JSON.parse(readFileSync(results, 'utf8')) as { testResults: JestFile[] }).testResults;

	const outcome = new Map<string, { passed: number; failed: number; files: Set<string> }>();
	for (const file of files) {
		for (const assertion of file.assertionResults) {
			const id = caseIdOf(assertion.title);
			if (!id) continue;
			const entry = outcome.get(id) ?? { passed: 0, failed: 0, files: new Set<string>() };
			if (assertion.status === 'passed') entry.passed++;
			else entry.failed++;
			entry.files.add(basename(file.name));
			outcome.set(id, entry);
		}
	}
	const observed = new Map<string, string[]>();
	for (const line of readFileSync(observations, 'utf8').split('\n').filter(Boolean)) {
		const { id, text } = JSON.parse(line) as { id: string; text: string };
		const list = observed.get(id) ?? [];
		if (!list.includes(text)) list.push(text);
		observed.set(id, list);
	}
	rmSync(work, { recursive: true, force: true });

	const resultOf = (id: string) => {
		const entry = outcome.get(id);
		if (!entry) return 'not run';
		return entry.failed === 0 ? 'pass' : 'fail';
	};
	const didOf = (id: string) => {
		const notes = observed.get(id);
		if (notes?.length) return notes.join(' / ');
		const entry = outcome.get(id);
		return entry ? `checked in ${[...entry.files].sort().join(', ')}` : '';
	};
	const failing = CASES.filter((c) => resultOf(c.id) !== 'pass');

	const lines: string[] = [
		'# Reliability',
		'',
		'How the Zoho SalesIQ node behaves when SalesIQ or Zoho Accounts misbehave, when input is hostile, and where its secrets go (issue #7).',
		'Every row is a case of `test/reliability/cases.ts`, checked by the tests in `test/reliability/` that run in `npm test`.',
		'This page is generated: `npx tsx test/reliability/report.ts` runs the suite and rewrites it; `test/reliability/doc.test.ts` fails when the page and the cases disagree or a row is not a pass.',
		'',
		`**${CASES.length} cases, ${CASES.length - failing.length} pass, ${failing.length} fail.** Last generated run: ${seconds} s for the whole reliability suite (jest, one worker).`,
		'',
		'## Findings fixed in the node',
		'',
		'The suite found these in the node; each was fixed in `nodes/ZohoSalesIq/transport` or `actions`, not worked around in a test.',
		'',
		'1. A revoked or evicted refresh token (Zoho answers the refresh with HTTP 200 `{"error":"invalid_code"}`) gave "error 1008: Invalid OAuthToken", and every further item tried to refresh again (a refresh loop that burns Zoho’s limit). Now: n8n’s own "The credential … needs to be reconnected." error, and later items fail at once without asking Zoho again (TOK-04 to TOK-07).',
		'2. Zoho’s refresh limit (`{"error":"Access Denied"}`) was reported as an invalid token. Now: an error that explains the limit of 10 refreshes per 10 minutes and says to wait (TOK-08).',
		'3. A failing token endpoint (HTTP 5xx, reset, HTML) was reported as a SalesIQ server error, and the node retried the API call, which refreshed again each time (3 refreshes per item). Now: "Zoho Accounts did not renew the access token", one attempt, no retries (TOK-09).',
		'4. A hung token endpoint held the execution for n8n’s fixed 5-minute token timeout per item. Now the refresh is bounded by the Timeout option (TOK-10).',
		'5. The public attachment download link was not retried after HTTP 5xx, a dropped connection or HTTP 429, unlike every other idempotent GET (FLT-*-attachment.link).',
		'6. Emails with `%`, `..`, control characters or an IP-address domain passed validation and reached the API; customer-info JSON `null`, a Limit of 10^12 and a Badge Count of 100,000 were accepted; an invalid Portal (screen name) raised an API error instead of a NodeOperationError; and error messages echoed control characters from input, which could forge log lines (INP-*).',
		'7. A page whose entries were not JSON objects (`[null]`) ended in a TypeError inside the node ("Cannot read properties of null") instead of a clear error; errors after retried server errors did not say how often the node had tried, and the description of a dropped connection ended in ".." (HOST-12, FLT-*-budget).',
		'',
		'8. The token followed redirects to any host: an API answer of 301/302/303/307/308 made the node send the access token and the query (emails, messages, customer info) to the host in `Location`, and turn that host’s JSON into items; a push redirected elsewhere was reported as sent. Now API calls never follow a redirect to another origin, never follow one for a write, and follow a read only on the same origin (HOST-13 to HOST-19).',
		'9. Paging could run without end: repeated visitors under new page keys, new chat ids at one millisecond, a server that ignores the time window. Every pager now ends when a page brings nothing new, keeps its memory flat, and stops at a documented cap (PAG-14 to PAG-18).',
		'10. A trickling response held a request far past its Timeout (a download ran past 20 s with Timeout 500 ms), and a slow body was remembered as a failed token refresh, so the next execution failed at once. Every response, attachment downloads included, now has to arrive whole within the Timeout; only a refresh is ever remembered as a failed refresh; Timeout is a whole number from 1 to 600,000 ms (TIME-01, TIME-02, INP-49, INP-50).',
		'11. Zoho Accounts’ `error` text, `param`/`json_key`/`header` in the stored error response, and tokens obtained by a refresh could reach errors unredacted. One redaction step now knows the client secret, the refresh token and every access token of the run (SEC-04 to SEC-07).',
		'12. A server that rejects every token made 100 items with Continue On Fail cost 11 refreshes, over Zoho’s limit; a 401 for a missing scope cost a refresh too. Now at most 1 refresh per execution and 2 per refresh token in 10 minutes, none for a missing scope (TOK-15 to TOK-22).',
		'13. Server text went into errors as it came (CR/LF, ANSI escapes, 2 MB); a transcript time of 9e15 ended in a bare RangeError; Content-Disposition names kept their folders (`../../.ssh/authorized_keys`); answers and files had no size limit (SRV-01 to SRV-06). A From Time past the largest date gave "Invalid time value", and a `__proto__` customer-info key was dropped without a word (INP-51, INP-56, INP-57).',
		'14. A captured signed delivery could be replayed once it had left the memory of the last 500 deliveries, and two different deliveries without `event_time` for one conversation were taken as one. Deliveries are now refused outside the Max Event Age window (default 24 hours), and the redelivery key adds the message id and, without an event time, a hash of the entity (TRG-07 to TRG-09).',
		'',
		'## Threat model',
		'',
		'What a hostile or broken server (a compromised proxy, a wrong Custom API URL, a DNS mistake, a server that is not SalesIQ) can and cannot make the node do:',
		'',
		'- **It cannot get the token elsewhere.** The access token is sent only to the origin of the credential’s SalesIQ API URL. Redirects to another origin are refused and named by host only; writes are never redirected; download links carry no token at all and are fetched only from the file hosts the node trusts.',
		'- **It cannot make the node run without end or grow without bound.** Every response must arrive whole within the Timeout option (1 ms to 10 minutes); a JSON answer may hold at most 16 MB and a download at most the Max File Size option (100 MB by default); every list ends when a page brings nothing new and stops at 1,000,000 entries or 20,000 requests per input item with an error, never a silently short list.',
		'- **It cannot burn the credential’s refresh budget.** A token rejected right after a refresh means the refresh did not help: the node stops with an error that names the data center and the portal, and neither later items nor later executions refresh again for 10 minutes. At most 1 refresh per execution and 2 per refresh token in any 10 minutes; a 401 for a missing scope costs none.',
		'- **It cannot put secrets or forged lines into errors or logs.** Its text is stripped of control characters and ANSI escapes, cut to 300 characters, and redacted of the client secret, the refresh token and every access token of the run, in messages, descriptions and the stored error response; answers that echo a secret are redacted before they become items.',
		'- **It can** answer wrongly within those limits: return wrong data, refuse operations, or be slow up to the Timeout. The node reports what it received; it cannot tell a wrong answer from a right one.',
		'- **The trigger** accepts only deliveries signed with the key SalesIQ gave for its subscription, at most 1 MB, not seen before, and, when `event_time` is present, within the Max Event Age window (24 hours by default). A captured delivery can therefore be replayed only within that window, and only once. A delivery without `event_time` cannot be judged by age and is accepted once.',
		'',
		'## Known limits',
		'',
		'- The sandbox has no fault for a foreign-host `download_url`, a redirecting download link, an HTTP 4xx `invalid_grant` from the token endpoint, entries that are not objects, redirects of API calls, endless paging or trickling bodies; those cases use small hostile servers on 127.0.0.1 (`test/reliability/hostile.ts`).',
		'- After a hung token refresh is abandoned (TOK-10), n8n keeps it running in the background until its own timeout; a token it brings back is still stored.',
		'- The refresh budget and the record of failed refreshes live in each n8n process: in queue mode each worker keeps its own, so the limits hold per worker.',
		'',
	];
	for (const { area, title, intro } of [...AREAS].sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area))) {
		lines.push(`## ${title}`, '', intro, '', '| ID | Injected | Expected | What the node did | Result |', '|---|---|---|---|---|');
		for (const c of CASES.filter((x) => x.area === area)) {
			lines.push(`| ${c.id} | ${cell(c.injected)} | ${cell(c.expected)} | ${cell(didOf(c.id))} | ${resultOf(c.id)} |`);
		}
		lines.push('');
	}
	writeFileSync(DOC, lines.join('\n'));
	process.stdout.write(`\nWrote ${DOC}: ${CASES.length} rows, ${failing.length} not passing${failing.length ? `: ${failing.map((c) => c.id).join(', ')}` : ''}\n`);
	return failing.length === 0 ? 0 : 1;
}

process.exit(main());
