/**
 * Real, valid attachment files built from a seed: a PNG image, a one-page PDF and a text file.
 * Tests can check the bytes (signatures, lengths, hashes), so they are never placeholders.
 */
import { deflateSync } from 'node:zlib';
import { Random } from './random';

export type AttachmentKind = 'png' | 'pdf' | 'txt';

/** Everything needed to rebuild one file's bytes; the bytes themselves are never stored. */
export interface AttachmentSpec {
	kind: AttachmentKind;
	fileName: string;
	seed: number;
	width?: number;
	height?: number;
	lines?: string[];
}

export const CONTENT_TYPES: Record<AttachmentKind, string> = {
	png: 'image/png',
	pdf: 'application/pdf',
	txt: 'text/plain',
};

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(data: Buffer): number {
	let c = 0xffffffff;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/** An RGB gradient with a seeded palette and some noise, so files differ and do not compress to nothing. */
function renderPng(spec: AttachmentSpec): Buffer {
	const width = spec.width ?? 32;
	const height = spec.height ?? 32;
	const rng = new Random(spec.seed);
	const base = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
	const raw = Buffer.alloc((width * 3 + 1) * height);
	let offset = 0;
	for (let y = 0; y < height; y++) {
		raw[offset++] = 0;
		for (let x = 0; x < width; x++) {
			raw[offset++] = (base[0] + x * 4 + rng.int(0, 15)) & 0xff;
			raw[offset++] = (base[1] + y * 4 + rng.int(0, 15)) & 0xff;
			raw[offset++] = (base[2] + (x + y) * 2) & 0xff;
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type: truecolour RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

function pdfText(text: string): string {
	return text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');
}

/** A one-page PDF 1.4 with a correct cross-reference table, so strict readers accept it. */
function renderPdf(spec: AttachmentSpec): Buffer {
	const lines = spec.lines ?? [];
	const stream = ['BT', '/F1 12 Tf', '72 720 Td', '16 TL', ...lines.map((l) => `(${pdfText(l)}) '`), 'ET'].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

export function renderAttachment(spec: AttachmentSpec): Buffer {
	switch (spec.kind) {
		case 'png':
			return renderPng(spec);
		case 'pdf':
			return renderPdf(spec);
		case 'txt':
			return Buffer.from(`${(spec.lines ?? []).join('\n')}\n`, 'utf8');
	}
}
