/** The n8n credential type both nodes use; the credential class declares the same name. */
export const CREDENTIAL_TYPE = 'microsoftGraphCallsApi';
