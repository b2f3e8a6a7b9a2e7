/**
 * What a person should do about the Entra errors that app-only sign-in meets most often.
 * Keyed by the AADSTS number Entra puts in `error_codes`.
 */
export const AADSTS_HINTS: Readonly<Record<string, string>> = {
	'7000215':
		'The client secret is wrong. Copy the secret\'s Value (not its Secret ID) from the app registration\'s "Certificates & secrets" page.',
	'7000222':
		'The client secret has expired. Create a new secret under "Certificates & secrets" and paste its Value here.',
	'700016':
		'No app with this Client ID exists in this tenant. Check the Client ID and Tenant ID, and that the app is registered in (or consented to by) this tenant.',
	'90002':
		'The tenant was not found. Check the Tenant ID, and the Cloud: a US Government or China tenant is not found in the Global cloud.',
	'90038':
		'The tenant lives in another national cloud. Pick the matching Cloud in this credential.',
	'700027':
		'The certificate assertion was rejected. Upload this certificate to the app registration ("Certificates & secrets" > Certificates) and check that the private key and thumbprint belong to it.',
	'7000112':
		'The application is disabled in this tenant. An administrator must enable the enterprise application again.',
	'70011':
		'The requested scope is invalid. Check that the Graph Endpoint matches the cloud of this tenant.',
	'700024': "The client assertion is not within its valid time range. Check this machine's clock.",
	'7000214':
		'The certificate is not registered for this app or has expired. Upload a valid certificate to the app registration.',
	'50034': 'The user or app does not exist in this directory. Check the Tenant ID.',
	'900023':
		"The Tenant ID is not a valid GUID or domain. Copy the Directory (tenant) ID from the app registration's Overview page.",
	'1002012':
		'The requested scope is invalid. Check that the Graph Endpoint matches the cloud of this tenant.',
};

/** Entra's error_description carries trace lines after the first sentence: keep the sentence. */
export function firstLineOf(description: string): string {
	return description.split(/\r?\n/)[0].trim();
}
