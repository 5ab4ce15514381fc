import { parsedMayHoldSecret } from '../../../nodes/ZohoSalesIq/transport/redaction';
import { salesIqRequest } from '../../../nodes/ZohoSalesIq/transport/request';
import { credentials, fakeContext } from './fake-context';

/**
 * A page that echoes a secret never reaches the output. The node looks for secrets in the JSON
 * text it parsed, and falls back to the parsed value whenever the text could hide one (an escape
 * that spells a character of a secret). These cases pin both paths.
 */

const ACCESS = credentials.oauthTokenData.access_token;
const SECRET = credentials.clientSecret;

/** The data of one GET whose answer is `json`, sent as the bytes of a body (as a read stream ends). */
async function dataOf(json: string): Promise<unknown> {
	const { context } = fakeContext([{ statusCode: 200, headers: {}, body: Buffer.from(json, 'utf8') }]);
	return await salesIqRequest.call(context, { method: 'GET', version: 'v1', path: '/chats' });
}

/** `text` with every character written as a \u escape, as a JSON encoder that escapes everything would. */
function escaped(text: string): string {
	return [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
}

describe('secrets in the data of an answer', () => {
	it('passes a page without secrets through unchanged, escapes included', async () => {
		const page = { data: [{ chat_id: '1', question: 'Caf\u00e9 line one\nline two "quoted" a\\b c/d' }] };
		await expect(dataOf(JSON.stringify(page))).resolves.toEqual(page.data);
		await expect(dataOf('{"data":[{"question":"Caf\\u00e9 \\/ \\n"}]}')).resolves.toEqual([{ question: 'Caf\u00e9 / \n' }]);
	});

	it('redacts an access token or the client secret written as it is', async () => {
		const data = await dataOf(JSON.stringify({ data: [{ note: `token ${ACCESS}`, other: `secret=${SECRET}` }] }));
		expect(JSON.stringify(data)).not.toContain(ACCESS);
		expect(JSON.stringify(data)).not.toContain(SECRET);
		expect(data).toEqual([{ note: 'token [redacted]', other: 'secret=[redacted]' }]);
	});

	it('redacts a secret that JSON escapes spell, which the text does not show as it is', async () => {
		const data = await dataOf(`{"data":[{"note":"${escaped(SECRET)}"},{"note":"x${escaped(ACCESS.slice(0, 6))}${ACCESS.slice(6)}"}]}`);
		expect(JSON.stringify(data)).not.toContain(SECRET);
		expect(JSON.stringify(data)).not.toContain(ACCESS);
		expect(data).toEqual([{ note: '[redacted]' }, { note: 'x[redacted]' }]);
	});

	it('reads the text when it shows every secret, and the value when it may not', () => {
		const secrets = new Set(['abcdef/123456', 'plainsecret42']);
		// No escape spells a character of a secret: the text decides, whatever the value holds.
		expect(parsedMayHoldSecret({ any: 'value' }, '{"a":"caf\\u00e9\\n"}', secrets)).toBe(false);
		expect(parsedMayHoldSecret({}, '{"a":"plainsecret42"}', secrets)).toBe(true);
		// "\/" spells "/", a character of a secret: the value decides.
		expect(parsedMayHoldSecret({ a: 'abcdef/123456' }, '{"a":"abcdef\\/123456"}', secrets)).toBe(true);
		expect(parsedMayHoldSecret({ a: 'abcdef/12' }, '{"a":"abcdef\\/12"}', secrets)).toBe(false);
		// A secret of digits could be written as a number in another way (1e6): the value decides.
		expect(parsedMayHoldSecret({ n: 1000000 }, '{"n":1e6}', new Set(['1000000']))).toBe(true);
		// Without the text, the value decides; short values are never searched for.
		expect(parsedMayHoldSecret({ a: 'plainsecret42' }, undefined, secrets)).toBe(true);
		expect(parsedMayHoldSecret({ a: 'abc' }, '{"a":"abc"}', new Set(['abc']))).toBe(false);
	});
});
