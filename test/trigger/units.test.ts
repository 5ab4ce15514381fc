import { generateKeyPairSync, sign } from 'node:crypto';

import { deliveryKey, rememberDelivery } from '../../nodes/ZohoSalesIq/trigger/dedup';
import { EVENT_OPTIONS } from '../../nodes/ZohoSalesIq/trigger/events';
import { parseBody, readDelivery, toOutput } from '../../nodes/ZohoSalesIq/trigger/payload';
import { isValidSignature, parsePublicKey } from '../../nodes/ZohoSalesIq/trigger/signature';
import { CONVERSATION_EVENTS } from '../sandbox';

describe('trigger helpers', () => {
	it('offers exactly the 15 documented conversation events, labelled in words, with the Zoho name in the description', () => {
		expect(EVENT_OPTIONS.map((o) => o.value).sort()).toEqual([...CONVERSATION_EVENTS].sort());
		expect(EVENT_OPTIONS).toHaveLength(15);
		for (const option of EVENT_OPTIONS) {
			expect(option.name).toMatch(/^[A-Z][a-z]+( [A-Z][a-z]+)*$/);
			expect(option.description).toContain(`Zoho event: ${String(option.value)}`);
		}
		expect(EVENT_OPTIONS.find((o) => o.value === 'conversation.completed')?.name).toBe('Conversation Completed');
		const names = EVENT_OPTIONS.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	describe('signature', () => {
		const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
		const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
		const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
		const pkcs1Pem = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
		const body = Buffer.from('{"event":"conversation.created","entity":{"question":"Grüße"}}', 'utf8');
		const signature = sign('sha256', body, privateKey).toString('base64');

		it('verifies SHA256withRSA over the raw bytes with a PEM block or bare Base64 DER, SPKI or PKCS#1', () => {
			for (const key of [pem, der, pkcs1, pkcs1Pem, `${der.slice(0, 64)}\n${der.slice(64)}`]) {
				expect(isValidSignature(body, signature, [key])).toBe(true);
			}
			expect(isValidSignature(body, ` ${signature} `, [pem])).toBe(true);
		});

		it('accepts a signature valid under any held key, and none with no key', () => {
			expect(isValidSignature(body, signature, [other, pem])).toBe(true);
			expect(isValidSignature(body, signature, [pem, other])).toBe(true);
			expect(isValidSignature(body, signature, [other])).toBe(false);
			expect(isValidSignature(body, signature, [])).toBe(false);
		});

		it('refuses other bytes, a missing or malformed signature and an unusable key', () => {
			expect(isValidSignature(Buffer.concat([body, Buffer.from(' ')]), signature, [pem])).toBe(false);
			expect(isValidSignature(body, undefined, [pem])).toBe(false);
			expect(isValidSignature(body, signature.slice(0, -4), [pem])).toBe(false);
			expect(isValidSignature(body, `${signature}!`, [pem])).toBe(false);
			expect(isValidSignature(body, signature, ['not a key'])).toBe(false);
			const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
			expect(parsePublicKey(ec)).toBeUndefined();
		});
	});

	describe('body parsing', () => {
		it('keeps unsafe integers as strings and leaves strings, floats and safe numbers alone', () => {
			const parsed = parseBody(
				Buffer.from('\ufeff{"a":466756000000002043,"b":"466756000000002043 \\" 99999999999999999","c":1.5e300,"d":12,"e":[-12345678901234567890]}'),
			);
			expect(parsed).toEqual({ a: '466756000000002043', b: '466756000000002043 " 99999999999999999', c: 1.5e300, d: 12, e: ['-12345678901234567890'] });
		});

		it('reads the live delivery shape: numeric version, 17-digit app_id, chat_status without a label', () => {
			const raw =
				'{"entity_type":"conversation","webhook":{"id":"19367000000120011"},"org_id":"55778119","event":"conversation.completed","entity_id":"19000000033103","attempt":1,"version":1,"app_id":46675600000002043,"event_time":"1767225600000","entity":{"id":"19000000033103","reference_id":"151","visitor_conversation_id":"ad43","owner":{"email":"p@zylker.com","email_id":"p@zylker.com"},"ended_by":"operator","chat_status":{"state_key":"closed","status_key":"closed"}}}';
			const delivery = readDelivery(parseBody(Buffer.from(raw))!)!;
			const output = toOutput(delivery, true, '19367000000120011');
			expect(output).toMatchObject({ app_id: '46675600000002043', status: 'closed', operator_email: 'p@zylker.com', reference_id: '151', attempt: 1 });
		});

		it('returns undefined for anything but a JSON object', () => {
			expect(parseBody(Buffer.from('[1]'))).toBeUndefined();
			expect(parseBody(Buffer.from('{"a":'))).toBeUndefined();
			expect(parseBody(Buffer.from(''))).toBeUndefined();
		});
	});

	describe('deduplication', () => {
		const base = { webhookId: 'w1', event: 'conversation.completed', entityId: 'c1', eventTime: 1700000000000 };

		it('keys on webhook, event, entity and event time', () => {
			expect(deliveryKey(base)).toBe(deliveryKey({ ...base }));
			for (const change of [{ webhookId: 'w2' }, { event: 'conversation.rated' }, { entityId: 'c2' }, { eventTime: 1700000000001 }]) {
				expect(deliveryKey({ ...base, ...change })).not.toBe(deliveryKey(base));
			}
		});

		it('remembers a bounded, newest-last list of keys', () => {
			const staticData = {};
			expect(rememberDelivery(staticData, 'a', 2)).toBe(true);
			expect(rememberDelivery(staticData, 'a', 2)).toBe(false);
			expect(rememberDelivery(staticData, 'b', 2)).toBe(true);
			expect(rememberDelivery(staticData, 'c', 2)).toBe(true);
			expect(staticData).toEqual({ recentDeliveries: ['b', 'c'] });
			expect(rememberDelivery(staticData, 'a', 2)).toBe(true);
		});
	});
});
