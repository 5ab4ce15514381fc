import { credentialFor, runNode } from '../../harness';
import { conversationIdForChat, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

/**
 * Attachment > Download with a conversation ID under each answer SalesIQ's v2 file request may
 * give (Zoho does not document it): the bytes, a redirect to the download link, JSON with the link.
 * The API call carries the token; the link is fetched without it.
 */
describe.each([
	['bytes', {}],
	['redirect', {}],
	['link', {}],
	['redirect', { files: 'file-domain' }],
	['link', { files: 'file-domain' }],
])('Attachment > Download by conversation, v2-attachment=%s %j', (form, more) => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await startSandbox({ port: 0, seed: 7, chats: 300, visitors: 50, variants: { 'v2-attachment': form, ...more } })));
	afterAll(async () => await sb.stop());

	it('gives the file’s exact bytes, name and type, and sends the token to the API host only', async () => {
		const file = [...sb.dataset.attachments.values()][0];
		const id = conversationIdForChat(sb.dataset, file.chatId)!;
		const credential = credentialFor(sb, sb.filesUrl ? { filesUrl: sb.filesUrl } : {});
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: id, attachmentUrl: `/attachments/${file.fileId}` },
			credential,
		});

		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary!.data;
		expect(Buffer.from(binary.data, 'base64').equals(file.bytes)).toBe(true);
		expect(binary).toMatchObject({ fileName: file.fName, mimeType: file.content });
		expect(result.json[0]).toEqual({ chatId: id, fileId: file.fileId, fileName: file.fName, mimeType: file.content, fileSize: file.size, url: `/attachments/${file.fileId}` });

		const requests = sb.requests();
		const api = requests.filter((r) => r.path.startsWith('/api/'));
		expect(api.map((r) => r.path)).toEqual([`/api/v2/${sb.screenName}/conversations/${id}/attachments/${file.fileId}`]);
		expect(api[0].headers.authorization).toMatch(/^Bearer /);
		const downloads = requests.filter((r) => !r.path.startsWith('/api/') && !r.path.startsWith('/oauth/'));
		expect(downloads.length).toBe(form === 'bytes' ? 0 : 1);
		for (const download of downloads) expect(download.headers.authorization).toBeUndefined();
	});
});

describe.each(['bytes', 'link'])('Attachment > Download by conversation, Max File Size, v2-attachment=%s', (form) => {
	let sb: Sandbox;
	beforeAll(async () => (sb = await startSandbox({ port: 0, seed: 7, chats: 300, visitors: 50, variants: { 'v2-attachment': form } })));
	afterAll(async () => await sb.stop());

	it('refuses a file larger than the option allows, whatever form the answer takes', async () => {
		const file = [...sb.dataset.attachments.values()].find((f) => f.bytes.length > 1024)!;
		const id = conversationIdForChat(sb.dataset, file.chatId)!;
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: id, attachmentUrl: file.fileId, options: { maxFileSizeMb: 0.001 } },
			credential: credentialFor(sb),
		});
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/larger|over|too large|size/i);
	});
});
