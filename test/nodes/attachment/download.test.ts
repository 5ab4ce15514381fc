import { credentialFor, runNode } from '../../harness';
import type { AttachmentInfo, Sandbox } from '../../sandbox';
import { apiRequests, bearerOf, smallSandbox } from '../helpers';

describe('Attachment > Download', () => {
	let sb: Sandbox;
	let file: AttachmentInfo;
	beforeAll(async () => {
		sb = await smallSandbox({ chats: 300 });
		file = [...sb.dataset.attachments.values()].find((a) => a.content === 'image/png')!;
	});
	afterAll(async () => await sb.stop());
	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
	});

	const binaryOf = async (result: Awaited<ReturnType<typeof runNode>>, field = 'data') => {
		const binary = result.items[0].binary![field];
		return { binary, bytes: Buffer.from(binary.data, 'base64') };
	};

	it('reads download_url with the token, then fetches the bytes without it', async () => {
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: file.chatId, attachmentUrl: file.url, binaryPropertyName: 'data' },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const [api, download, ...rest] = sb.requests();
		expect(rest).toEqual([]);
		expect(api.method).toBe('GET');
		expect(api.path).toBe(`/api/v1/${sb.screenName}/chats/${file.chatId}${file.url}`);
		expect(bearerOf(api)).toBe(sb.accessToken);
		expect(download.method).toBe('GET');
		expect(download.path).toMatch(/^\/pubdownload\/[0-9a-f-]+$/);
		expect(download.headers.authorization).toBeUndefined();
		expect(JSON.stringify(download.headers)).not.toContain(sb.accessToken);

		const { binary, bytes } = await binaryOf(result);
		expect(bytes.equals(file.bytes)).toBe(true);
		expect(binary.fileName).toBe(file.fName);
		expect(binary.mimeType).toBe('image/png');
		expect(result.json[0]).toEqual({
			chatId: file.chatId,
			fileId: file.fileId,
			fileName: file.fName,
			mimeType: 'image/png',
			fileSize: file.size,
			url: file.url,
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('accepts a file id, finds its url in the transcript, and writes to the chosen field', async () => {
		const pdf = [...sb.dataset.attachments.values()].find((a) => a.content !== 'image/png')!;
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: pdf.chatId, attachmentUrl: pdf.fileId, binaryPropertyName: 'file' },
			credential: credentialFor(sb),
		});

		expect(result.error).toBeUndefined();
		const paths = apiRequests(sb).map((r) => r.path);
		expect(paths[0]).toBe(`/api/v1/${sb.screenName}/chats/${pdf.chatId}/transcript`);
		expect(paths[paths.length - 1]).toBe(`/api/v1/${sb.screenName}/chats/${pdf.chatId}${pdf.url}`);
		const { binary, bytes } = await binaryOf(result, 'file');
		expect(bytes.equals(pdf.bytes)).toBe(true);
		expect(binary.fileName).toBe(pdf.fName);
		expect(binary.mimeType).toBe(pdf.content);
	});

	it('refuses a download_url whose host is not the credential’s SalesIQ host', async () => {
		// The API is reached as "localhost", while the sandbox hands out links on 127.0.0.1.
		const credential = credentialFor(sb, { apiUrl: sb.url.replace('127.0.0.1', 'localhost') });
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: file.chatId, attachmentUrl: file.url, binaryPropertyName: 'data' },
			credential,
		});

		expect(apiRequests(sb)).toHaveLength(1);
		expect(sb.requests('/pubdownload/')).toHaveLength(0);
		expect(result.error?.message).toBe('The attachment’s download link points to an unexpected host, so the node did not follow it');
		expect(result.error?.description).toContain('http://127.0.0.1:');
	});

	it('refuses a full URL as the attachment, so input never chooses the host', async () => {
		const result = await runNode({
			parameters: {
				resource: 'attachment',
				operation: 'download',
				chatId: file.chatId,
				attachmentUrl: 'https://evil.example/attachments/1/A_1',
				binaryPropertyName: 'data',
			},
			credential: credentialFor(sb),
		});

		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('Attachment "https://evil.example/attachments/1/A_1" is not valid');
		expect(sb.requests()).toHaveLength(0);
	});

	it('explains an unknown file (error 2043) and a chat without attachments (error 2042)', async () => {
		const unknownFile = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: file.chatId, attachmentUrl: '/attachments/1/A_404', binaryPropertyName: 'data' },
			credential: credentialFor(sb),
		});
		expect(unknownFile.error?.message).toBe('Zoho SalesIQ error 2043: File Not Found');
		expect(unknownFile.error?.description).toContain('No such attachment in this chat');

		const plain = sb.dataset.chats.map((c) => sb.dataset.chatRecord(c.chat_id)!).find((r) => !r.missed && r.attachmentCount === 0)!;
		const noFiles = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: plain.chat.chat_id, attachmentUrl: file.url, binaryPropertyName: 'data' },
			credential: credentialFor(sb),
		});
		expect(noFiles.error?.message).toBe('Zoho SalesIQ error 2042: No Attachments available for this chat');
	});

	it('explains an unknown chat (error 2041)', async () => {
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: '12', attachmentUrl: file.url, binaryPropertyName: 'data' },
			credential: credentialFor(sb),
		});

		expect(apiRequests(sb).map((r) => r.path)).toEqual([`/api/v1/${sb.screenName}/chats/12${file.url}`]);
		expect(result.error?.message).toBe('Zoho SalesIQ error 2041: Invalid chat_id');
		expect(result.error?.description).toContain('No chat with this ID exists in the portal');
	});

	it('says so when a file id is not in the transcript', async () => {
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: file.chatId, attachmentUrl: 'A_000', binaryPropertyName: 'data' },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe(`No attachment with file ID "A_000" in chat ${file.chatId}`);
		expect(sb.requests('/attachments/')).toHaveLength(0);
	});

	it('fails clearly when the download link answers with an error', async () => {
		sb.inject({ kind: 'status', status: 404, match: '/pubdownload/' });
		const result = await runNode({
			parameters: { resource: 'attachment', operation: 'download', chatId: file.chatId, attachmentUrl: file.url, binaryPropertyName: 'data' },
			credential: credentialFor(sb),
		});

		expect(result.error?.message).toBe('Downloading the attachment failed with HTTP 404');
		expect(result.items).toEqual([]);
	});
});
