import {
	ICredentialsHelper,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
} from 'n8n-workflow';

/**
 * A stand-in for the CredentialsHelper of n8n's server package (not published as a library),
 * following its rules where they matter to us:
 * - the decrypted data gets the credential type's defaults applied (so the hidden token is '');
 * - preAuthentication runs when the expirable field is empty or n8n says the token expired, and
 *   its result is written back to the store, so later items and executions reuse the token;
 * - authenticate calls the credential's own function.
 * It counts what happens, so tests can assert how often a token was minted.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	readonly counters = { preAuthenticationCalls: 0, expiredPreAuthenticationCalls: 0, updates: 0 };

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	/** Seeds a stored credential, as `n8n import:credentials` would. */
	save(id: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { ...data });
	}

	stored(id: string): ICredentialDataDecryptedObject | undefined {
		return this.store.get(id);
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.type(typeName).authenticate;
		if (typeof authenticate === 'function')
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		throw new Error('The harness supports only function authenticate()');
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.counters.preAuthenticationCalls++;
		if (credentialsExpired) this.counters.expiredPreAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details)
			await this.updateCredentials(details, typeName, Object.assign(credentials, output));
		return Object.assign(credentials, output);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Not used by this package');
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.get(nodeCredentials.id ?? '');
		if (!data) throw new Error(`Credential ${nodeCredentials.id} not found`);
		// As n8n does: defaults applied, fields hidden by the current choices dropped.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.type(type).properties,
			data as never,
			true,
			false,
			null,
			null,
		);
		return { ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.counters.updates++;
		this.store.set(nodeCredentials.id ?? '', { ...data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}
