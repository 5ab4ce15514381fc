import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { CHAT_SPAN_MS, startSandbox } from './index';
import type { Sandbox } from './index';
import { ANCHOR, api, v1 } from './helpers';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sandbox dataset', () => {
	let a: Sandbox;
	let b: Sandbox;
	beforeAll(async () => {
		a = await startSandbox({ seed: 99, anchorTime: ANCHOR });
		b = await startSandbox({ seed: 99, anchorTime: ANCHOR });
	});
	afterAll(async () => {
		await a.stop();
		await b.stop();
	});

	test('defaults to 1,000 chats and 1,000 visitors', () => {
		expect(a.dataset.chats).toHaveLength(1000);
		expect(a.dataset.visitors).toHaveLength(1000);
	});

	test('the same seed gives the same dataset, transcripts and attachment bytes', () => {
		expect(JSON.stringify(a.dataset.chats) === JSON.stringify(b.dataset.chats)).toBe(true);
		expect(b.dataset.visitors).toEqual(a.dataset.visitors);
		expect(b.dataset.portal).toEqual(a.dataset.portal);
		expect(b.dataset.apps).toEqual(a.dataset.apps);
		expect(b.dataset.departments).toEqual(a.dataset.departments);
		expect(b.dataset.operators).toEqual(a.dataset.operators);
		expect([b.clientId, b.clientSecret, b.screenName]).toEqual([a.clientId, a.clientSecret, a.screenName]);
		for (const chat of a.dataset.chats.slice(0, 40)) {
			expect(b.dataset.transcriptOf(chat.chat_id)).toEqual(a.dataset.transcriptOf(chat.chat_id));
		}
		const [first] = a.dataset.attachments.values();
		const twin = b.dataset.attachments.get(first.fileId);
		expect(twin && sha(twin.bytes)).toBe(sha(first.bytes));
		// Rebuilding the bytes gives the same file every time.
		expect(sha(first.bytes)).toBe(sha(first.bytes));
	});

	test('a different seed gives a different dataset; string seeds work', async () => {
		const other = await startSandbox({ seed: 100, chats: 50, visitors: 50, anchorTime: ANCHOR });
		const named = await startSandbox({ seed: 'demo', chats: 50, visitors: 50, anchorTime: ANCHOR });
		const namedAgain = await startSandbox({ seed: 'demo', chats: 50, visitors: 50, anchorTime: ANCHOR });
		try {
			expect(other.dataset.chats.map((c) => c.chatinitiated_time)).not.toEqual(a.dataset.chats.slice(0, 50).map((c) => c.chatinitiated_time));
			expect(named.dataset.chats).toEqual(namedAgain.dataset.chats);
		} finally {
			await Promise.all([other.stop(), named.stop(), namedAgain.stop()]);
		}
	});

	test('chats spread over the 30 days before the anchor; some are missed', () => {
		const times = a.dataset.chats.map((c) => Number(c.chatinitiated_time));
		expect(Math.max(...times)).toBeLessThanOrEqual(ANCHOR);
		expect(Math.min(...times)).toBeGreaterThan(ANCHOR - CHAT_SPAN_MS);
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(CHAT_SPAN_MS * 0.9);
		const yesterday = times.filter((t) => t >= ANCHOR - 86_400_000 && t < ANCHOR);
		expect(yesterday.length).toBeGreaterThan(10);
		const missed = a.dataset.chats.filter((c) => c.missed_time).length;
		expect(missed).toBeGreaterThan(50);
		expect(missed).toBeLessThan(250);
	});

	test('the default anchor is the clock rounded down to the hour', async () => {
		const now = Date.UTC(2026, 4, 5, 13, 47, 12, 345);
		const s = await startSandbox({ chats: 5, visitors: 0, clock: () => now });
		try {
			expect(s.dataset.anchorTime).toBe(Date.UTC(2026, 4, 5, 13));
		} finally {
			await s.stop();
		}
	});

	test('transcripts have realistic lengths, fit the chat times and end at end_time', () => {
		const answered = a.dataset.chats.filter((c) => !c.missed_time);
		const long = answered.filter((c) => (a.dataset.chatRecord(c.chat_id)?.messageCount ?? 0) > 200);
		expect(long.length).toBeGreaterThan(5);
		expect(a.dataset.transcriptOf(long[0].chat_id)?.length).toBeGreaterThan(200);
		for (const chat of answered.slice(0, 60)) {
			const entries = a.dataset.transcriptOf(chat.chat_id) ?? [];
			expect(entries.length).toBeGreaterThanOrEqual(5);
			const times = entries.slice(1).map((e) => Number((e as { time: string }).time));
			expect(times[0]).toBeGreaterThan(Number(chat.chatinitiated_time));
			expect(times[times.length - 1]).toBe(Number(chat.end_time));
			expect(times).toEqual([...times].sort((x, y) => x - y));
		}
	});

	test('attachments are valid PNG, PDF and text files', () => {
		const files = [...a.dataset.attachments.values()];
		const png = files.find((f) => f.content === 'image/png');
		const pdf = files.find((f) => f.content === 'application/pdf');
		const txt = files.find((f) => f.content === 'text/plain');
		if (!png || !pdf || !txt) throw new Error('expected all three kinds');

		const image = png.bytes;
		expect(image.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		expect(image.subarray(12, 16).toString('ascii')).toBe('IHDR');
		const width = image.readUInt32BE(16);
		const height = image.readUInt32BE(20);
		const entry = a.dataset
			.transcriptOf(png.chatId)
			?.find((e) => 'mode' in e && e.msg.fileId === png.fileId) as { msg: { dim: { width: string; height: string } } };
		expect(entry.msg.dim).toEqual({ width: String(width), height: String(height) });
		const idatLength = image.readUInt32BE(33);
		expect(image.subarray(37, 41).toString('ascii')).toBe('IDAT');
		expect(inflateSync(image.subarray(41, 41 + idatLength)).length).toBe((width * 3 + 1) * height);
		expect(image.subarray(image.length - 8, image.length - 4).toString('ascii')).toBe('IEND');

		const doc = pdf.bytes.toString('latin1');
		expect(doc.startsWith('%PDF-1.4\n')).toBe(true);
		expect(doc.trimEnd().endsWith('%%EOF')).toBe(true);
		const xref = Number(/startxref\n(\d+)\n/.exec(doc)?.[1]);
		expect(doc.slice(xref, xref + 4)).toBe('xref');
		const firstObject = Number(/\n0000000000 65535 f \n(\d{10}) 00000 n /.exec(doc)?.[1]);
		expect(doc.slice(firstObject, firstObject + 7)).toBe('1 0 obj');

		const text = txt.bytes.toString('utf8');
		expect(text.split('\n').length).toBeGreaterThan(3);
		expect(text).toContain(`Chat ${txt.chatId}`);
	});

	test('visitors have unique emails and ids, and some have customer_info', () => {
		const visitors = a.dataset.visitors;
		expect(new Set(visitors.map((v) => v.email)).size).toBe(visitors.length);
		expect(new Set(visitors.map((v) => v.id)).size).toBe(visitors.length);
		for (const v of visitors) expect(v.email).toMatch(/^[a-z.0-9]+@[a-z.]+$/);
		const withInfo = visitors.filter((v) => Object.keys(v.customer_info).length > 0);
		expect(withInfo.length).toBeGreaterThan(300);
		expect(withInfo.length).toBeLessThan(visitors.length);
	});

	test('the portal, brands, departments and operators are consistent with the chats', () => {
		const { portal, apps, departments, operators, chats } = a.dataset;
		expect(portal).toEqual(expect.objectContaining({ screenname: a.screenName, name: expect.any(String) }));
		const appIds = new Set(apps.map((x) => x.id));
		const deptIds = new Set(departments.map((x) => x.id));
		const opIds = new Set(operators.map((x) => x.id));
		for (const chat of chats) {
			expect(appIds.has(chat.embed_id)).toBe(true);
			expect(deptIds.has(chat.department_id)).toBe(true);
			if (chat.attender_id) expect(opIds.has(chat.attender_id)).toBe(true);
		}
		for (const department of departments) expect(operators.some((op) => op.department_ids.includes(department.id))).toBe(true);
	});

	test('empty datasets are served', async () => {
		const empty = await startSandbox({ chats: 0, visitors: 0 });
		try {
			expect((await api(empty, v1(empty, '/chats'))).body).toEqual({ data: [] });
			expect((await api(empty, v1(empty, '/visitorsview/-1/visitors'))).body).toEqual({ data: { visitorlist: [] } });
		} finally {
			await empty.stop();
		}
	});

	test('invalid options are refused', () => {
		expect(() => startSandbox({ chats: -1 })).toThrow(/chats/);
		expect(() => startSandbox({ tokenTtlSeconds: 0 })).toThrow(/tokenTtlSeconds/);
		expect(() => startSandbox({ faults: [{ kind: 'nope' } as never] })).toThrow(/kind/);
	});

	// How fast it starts is a figure for docs/SANDBOX.md ("Performance"), not a test: timings flake on a busy machine.
	test('starts with 100,000 chats and pages into the middle of them', async () => {
		const big = await startSandbox({ chats: 100_000, visitors: 1_000, anchorTime: ANCHOR });
		try {
			expect(big.dataset.chats).toHaveLength(100_000);
			const res = await api(big, v1(big, `/chats?limit=100&totime=${big.dataset.chats[50_000].chatinitiated_time}`));
			expect(res.body.data[0].chatinitiated_time).toBe(big.dataset.chats[50_000].chatinitiated_time);
		} finally {
			await big.stop();
		}
	}, 20_000);
});
