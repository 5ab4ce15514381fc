import { createPublicKey, verify, type KeyObject } from 'crypto';

export const SIGNATURE_HEADER = 'x-siqsignature';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function rsaOnly(key: KeyObject): KeyObject | undefined {
	return key.asymmetricKeyType === 'rsa' ? key : undefined;
}

/**
 * Reads a webhook public key. Zoho's docs show only a placeholder, so every plausible form is
 * accepted: a PEM block (SubjectPublicKeyInfo or PKCS#1), or bare Base64 DER of either. Returns
 * undefined when the text is not an RSA public key.
 */
export function parsePublicKey(text: string): KeyObject | undefined {
	const trimmed = text.trim();
	try {
		if (trimmed.startsWith('-----BEGIN')) return rsaOnly(createPublicKey(trimmed));
	} catch {
		return undefined;
	}
	const compact = trimmed.replace(/\s+/g, '');
	if (compact.length === 0 || !BASE64.test(compact)) return undefined;
	const der = Buffer.from(compact, 'base64');
	for (const type of ['spki', 'pkcs1'] as const) {
		try {
			return rsaOnly(createPublicKey({ key: der, format: 'der', type }));
		} catch {
			// Try the next encoding.
		}
	}
	return undefined;
}

/** Decodes a Base64 signature header. Anything that is not strict Base64 yields undefined. */
function decodeSignature(header: string): Buffer | undefined {
	const compact = header.trim();
	if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
	return Buffer.from(compact, 'base64');
}

/**
 * Verifies SalesIQ's `x-siqsignature` (Base64 SHA256withRSA) over the exact bytes received. A
 * webhook may hold two keys, so a signature valid under any of them is accepted.
 */
export function isValidSignature(rawBody: Buffer, header: string | undefined, publicKeys: readonly string[]): boolean {
	if (header === undefined) return false;
	const signature = decodeSignature(header);
	if (!signature) return false;
	return publicKeys.some((text) => {
		const key = parsePublicKey(text);
		if (!key) return false;
		try {
			return verify('sha256', rawBody, key, signature);
		} catch {
			return false;
		}
	});
}
