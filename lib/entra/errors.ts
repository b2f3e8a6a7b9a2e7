/**
 * A problem with the credential's own fields, found before any network call. Its message is
 * written for the person filling in the credential form and never contains a secret.
 */
export class CredentialConfigError extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'CredentialConfigError';
	}
}
