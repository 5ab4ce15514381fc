import {
	Expression,
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/**
 * An in-memory stand-in for n8n's credential store. It keeps the real contract that n8n-core's
 * OAuth2 code relies on: parent types (so the OAuth2 path is taken), copies on every read (core
 * re-reads during refresh), and token updates written back so tests can assert them.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every oauthTokenData that n8n asked to persist, oldest first. */
	readonly tokenUpdates: IDataObject[] = [];

	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	set(id: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, structuredClone(data));
	}

	current(id: string): ICredentialDataDecryptedObject {
		return structuredClone(this.mustGet(id));
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		_credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		// OAuth2 signing happens in n8n-core; nothing to add for this credential type.
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = this.mustGet(nodeCredentials.id ?? '');
		return {
			id: nodeCredentials.id,
			name: nodeCredentials.name,
			type,
			data: '',
			getData: () => structuredClone(data),
			getDataToSave: () => ({ id: nodeCredentials.id, name: nodeCredentials.name, type, data: '' }),
			setData: (next: ICredentialDataDecryptedObject) => this.set(nodeCredentials.id ?? '', next),
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode: unknown,
		_executeData?: unknown,
		raw?: boolean,
	): Promise<ICredentialDataDecryptedObject> {
		const data = structuredClone(this.mustGet(nodeCredentials.id ?? ''));
		return raw ? data : this.applyDefaults(type, data);
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.set(nodeCredentials.id ?? '', data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const id = nodeCredentials.id ?? '';
		const stored = this.mustGet(id);
		stored.oauthTokenData = structuredClone(data.oauthTokenData);
		this.tokenUpdates.push(structuredClone(data.oauthTokenData as IDataObject));
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}

	/** Fills defaults and resolves `={{ }}` defaults with `$self`, as n8n does before a node sees the data. */
	private applyDefaults(type: string, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
		const result: ICredentialDataDecryptedObject = { ...data };
		for (const property of this.getCredentialsProperties(type)) {
			if (result[property.name] === undefined && property.default !== undefined) {
				result[property.name] = property.default as ICredentialDataDecryptedObject[string];
			}
		}
		for (const [key, value] of Object.entries(result)) {
			if (typeof value === 'string' && value.startsWith('={{')) {
				result[key] = Expression.resolveWithoutWorkflow(value.slice(1), { $self: data }) as string;
			}
		}
		return result;
	}

	private mustGet(id: string): ICredentialDataDecryptedObject {
		const data = this.store.get(id);
		if (!data) throw new Error(`No credential with id "${id}" in the harness`);
		return data;
	}
}
