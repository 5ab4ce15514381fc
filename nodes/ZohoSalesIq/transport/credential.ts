import { resolveApiUrl } from './dataCenters';
import { learnSecrets } from './redaction';
import { CREDENTIAL_TYPE, type SalesIqContext, type SalesIqCredentials } from './types';

/**
 * The credential, read once per node run. In n8n every getCredentials call loads the credential
 * from the database, decrypts it and resolves its expressions, and n8n's OAuth2 helper already does
 * that once per request to sign it. What the transport reads here (API URL, screen name, the
 * secrets to redact, the token a request starts with) only changes with a token refresh, and every
 * refresh path drops the cached read (forgetCredentials).
 */
const credentialReads = new WeakMap<SalesIqContext, Promise<SalesIqCredentials>>();

export function readCredentials(context: SalesIqContext): Promise<SalesIqCredentials> {
	let read = credentialReads.get(context);
	if (!read) {
		read = (context.getCredentials(CREDENTIAL_TYPE) as Promise<SalesIqCredentials>).then((credentials) => {
			learnSecretsOf(context, credentials);
			return credentials;
		});
		credentialReads.set(context, read);
		read.catch(() => credentialReads.delete(context));
	}
	return read;
}

/** Drops the cached read after a token refresh, so the next request reads the stored token again. */
export function forgetCredentials(context: SalesIqContext): void {
	credentialReads.delete(context);
}

/** Adds the secret values of a credential read (client secret, tokens) to the run's secrets (redaction.ts). */
export function learnSecretsOf(context: SalesIqContext, credentials: SalesIqCredentials): void {
	learnSecrets(context, [credentials.clientSecret, credentials.oauthTokenData?.access_token, credentials.oauthTokenData?.refresh_token]);
}

/** The credential's SalesIQ API origin (data center table or Custom API URL). */
export async function getApiBaseUrl(this: SalesIqContext): Promise<string> {
	return resolveApiUrl(await readCredentials(this));
}
