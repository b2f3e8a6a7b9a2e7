import type { INodeProperties } from 'n8n-workflow';

import { RETRY_LIMITS } from '../limits';

/** Options every Graph request of this node understands; operations add their own around them. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'API Version',
		name: 'apiVersion',
		type: 'options',
		options: [
			{ name: 'v1.0', value: 'v1.0', description: 'Generally available API' },
			{ name: 'Beta', value: 'beta', description: 'Preview API (needed for Endpoint Type)' },
		],
		default: 'v1.0',
	},
	{
		displayName: 'Custom Headers',
		name: 'customHeaders',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Header',
		default: {},
		description:
			'Extra request headers, for example your own client request ID or Prefer. Authorization, Host and Content-Type are set by the node.',
		options: [
			{
				name: 'header',
				displayName: 'Header',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. X-Request-ID',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. incident-4711',
					},
				],
			},
		],
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to output the exact request instead of sending it. No token is requested and the Authorization header is never shown.',
	},
	{
		displayName: 'Include Response Metadata',
		name: 'includeResponseMetadata',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the HTTP status, Graph\'s request ID and client request ID, and the Location and x-ms-ags-diagnostic headers under "responseMetadata"',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: {
			minValue: RETRY_LIMITS.maxRetries.min,
			maxValue: RETRY_LIMITS.maxRetries.max,
			numberPrecision: 0,
		},
		default: 300,
		description:
			'Retrying, with Max Total Retry Wait: backstop on how often one request is tried again when Graph throttles (429, or 503 with Retry-After). Max Total Retry Wait is what normally ends the retrying. Other failures are never retried: an invite could ring twice.',
	},
	{
		displayName: 'Max Total Retry Wait (Seconds)',
		name: 'maxRetryWaitSeconds',
		type: 'number',
		typeOptions: {
			minValue: RETRY_LIMITS.maxRetryWaitSeconds.min,
			maxValue: RETRY_LIMITS.maxRetryWaitSeconds.max,
			numberPrecision: 0,
		},
		default: 300,
		description:
			"How long one request may spend waiting as Graph's Retry-After asks, all its retries together. Throttling means Graph did nothing, so waiting is always safe; five minutes outlasts many of Graph's throttling windows.",
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: {
			minValue: RETRY_LIMITS.timeoutSeconds.min,
			maxValue: RETRY_LIMITS.timeoutSeconds.max,
			numberPrecision: 0,
		},
		default: 60,
		description:
			'How long one attempt may take before it fails with a timeout error (a timed-out invite is not retried: Graph may have acted on it)',
	},
];

/** An Options collection: the request options every operation has, then the operation's own. */
export function optionsField(own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...requestOptionFields, ...own],
	};
}

/** The plain Options collection, for operations without options of their own. */
export const plainOptionsField: INodeProperties = optionsField();

/** The escape hatch for body properties the form does not offer (the cmdlet's -AdditionalProperties). */
export function additionalBodyPropertiesField(description: string): INodeProperties {
	return {
		displayName: 'Additional Body Properties',
		name: 'additionalBodyProperties',
		type: 'json',
		default: '{}',
		description,
	};
}
