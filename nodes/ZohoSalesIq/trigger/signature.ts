import { createPublicKey, verify, type KeyObject } from 'crypto';

export const SIGNATURE_HEADER = 'x-siqsignature';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads the public key SalesIQ returns for a secured webhook. Zoho's docs show no sample, so both
 * a PEM block and bare Base64 DER (SubjectPublicKeyInfo) are accepted. Returns undefined when the
 * text is not an RSA public key.
 */
export function parsePublicKey(text: string): KeyObject | undefined {
	const trimmed = text.trim();
	try {
		const key = trimmed.startsWith('-----BEGIN')
			? createPublicKey(trimmed)
			: createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
		return key.asymmetricKeyType === 'rsa' ? key : undefined;
	} catch {
		return undefined;
	}
}

/** Decodes a Base64 signature header. Anything that is not strict Base64 yields undefined. */
function decodeSignature(header: string): Buffer | undefined {
	const compact = header.trim();
	if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
	return Buffer.from(compact, 'base64');
}

/** Verifies SalesIQ's `x-siqsignature` (Base64 SHA256withRSA) over the exact bytes received. */
export function isValidSignature(rawBody: Buffer, header: string | undefined, publicKey: string): boolean {
	if (header === undefined) return false;
	const signature = decodeSignature(header);
	const key = parsePublicKey(publicKey);
	if (!signature || !key) return false;
	try {
		return verify('sha256', rawBody, key, signature);
	} catch {
		return false;
	}
}
