import type { IDataObject, IHookFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { explain, request, type TriggerSettings } from './api';
import { TRIGGER_ENDPOINTS as API } from './endpoints';
import { parsePublicKey } from './signature';
import { isRecord } from '../shared/values';

/**
 * The public keys of a secured webhook. SalesIQ lists them in the webhook object's `public_keys`
 * (`{key, id, created_time, creator}`), holds at most two, and signs with the oldest. The trigger
 * keeps every usable key in its static data (`publicKeys`) and accepts a delivery signed by any of
 * them, or by the key pasted into the Public Key option.
 */

export interface ListedKeys {
	/** How many keys the webhook holds, usable or not. */
	count: number;
	/** Key texts the node can read, oldest first. */
	usable: string[];
}

/** `public_keys` of a webhook object, or undefined when the object does not list keys at all. */
export function listedKeys(webhook: unknown): ListedKeys | undefined {
	if (!isRecord(webhook) || !Array.isArray(webhook.public_keys)) return undefined;
	const texts = webhook.public_keys.map((entry) => (typeof entry === 'string' ? entry : isRecord(entry) ? entry.key : undefined));
	const usable = texts.filter((text): text is string => typeof text === 'string' && parsePublicKey(text) !== undefined);
	return { count: webhook.public_keys.length, usable };
}

/** Keys kept for the subscription; an older static data's single `publicKey` counts too. */
export function storedKeys(staticData: IDataObject): string[] {
	if (Array.isArray(staticData.publicKeys)) return staticData.publicKeys.filter((k): k is string => typeof k === 'string');
	return typeof staticData.publicKey === 'string' ? [staticData.publicKey] : [];
}

export function forgetKeys(staticData: IDataObject): void {
	delete staticData.publicKeys;
	delete staticData.publicKey;
	delete staticData.keyId;
}

function keep(staticData: IDataObject, keys: string[]): void {
	forgetKeys(staticData);
	staticData.publicKeys = keys;
}

/** The Public Key option's text, checked; undefined when empty. */
export function optionKey(node: INode, options: IDataObject): string | undefined {
	const text = typeof options.publicKey === 'string' ? options.publicKey.trim() : '';
	if (text === '') return undefined;
	if (parsePublicKey(text) === undefined) {
		throw new NodeOperationError(node, 'Public Key is not an RSA public key', {
			description:
				'Paste the key exactly as SalesIQ shows it in the webhook settings: a block starting with -----BEGIN PUBLIC KEY----- or the Base64 text alone. Or leave Public Key empty: the trigger then uses the keys SalesIQ returns for the webhook.',
		});
	}
	return text;
}

/** Every key a delivery may be signed with: the webhook's and the Public Key option's. */
export function verificationKeys(staticData: IDataObject, options: IDataObject): string[] {
	const pasted = typeof options.publicKey === 'string' && options.publicKey.trim() !== '' ? [options.publicKey.trim()] : [];
	return [...storedKeys(staticData), ...pasted];
}

function noUsableKey(node: INode, count: number): NodeOperationError {
	return new NodeOperationError(node, 'SalesIQ sent no usable public key for the webhook', {
		description: `The webhook holds ${count} key(s), but none is an RSA public key the node can read. Paste the key shown in SalesIQ's webhook settings into Options > Public Key, or turn off Options > Verify Signature.`,
	});
}

/**
 * Makes sure the static data holds the webhook's keys. `known` is what a webhook object already
 * said (undefined: it did not list keys). A key is added (POST .../keys) only when the webhook is
 * known to hold none, so a webhook never gets a key it does not need. Returns false when the keys
 * cannot be learnt without adding one to a webhook that may already have some.
 */
export async function learnKeys(
	this: IHookFunctions,
	settings: TriggerSettings,
	webhookId: string,
	known: ListedKeys | undefined,
	url: string,
	mayAdd: boolean,
): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	if (known !== undefined && known.count > 0) {
		if (known.usable.length === 0) throw noUsableKey(this.getNode(), known.count);
		keep(staticData, known.usable);
		return true;
	}
	if (known === undefined && !mayAdd) return false;
	let data: unknown;
	try {
		data = await request.call(this, settings, API.createKey, { params: { id: webhookId } });
	} catch (error) {
		throw await explain.call(this, error, 'create', settings, url, API.createKey.scope);
	}
	const added = listedKeys(data);
	if (added === undefined || added.usable.length === 0) throw noUsableKey(this.getNode(), added?.count ?? 0);
	keep(staticData, added.usable);
	return true;
}
