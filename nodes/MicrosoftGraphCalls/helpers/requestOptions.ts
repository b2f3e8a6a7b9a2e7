import type { CloudEndpoints } from '../../../lib/entra/clouds';
import type { GraphVersion } from '../transport/graphTransport';
import { TransportPolicy } from '../transport/policy';
import { buildCustomHeaders, type HeaderEntry } from './customHeaders';
import { describeType, InputProblem } from './inputProblem';

/** The "Options" collection shared by every operation, as the panel stores it. */
export interface OptionsCollection {
	apiVersion?: unknown;
	additionalBodyProperties?: unknown;
	customHeaders?: { header?: HeaderEntry[] };
	includeResponseMetadata?: unknown;
	dryRun?: unknown;
	maxRetries?: unknown;
	maxRetryWaitSeconds?: unknown;
	timeoutSeconds?: unknown;
}

export interface RequestOptions {
	version: GraphVersion;
	headers: Record<string, string>;
	includeResponseMetadata: boolean;
	dryRun: boolean;
	policy: TransportPolicy;
}

export const RETRY_LIMITS = {
	maxRetries: 10,
	maxRetryWaitSeconds: 600,
	timeoutSeconds: 300,
} as const;

function wholeNumber(
	raw: unknown,
	fallback: number,
	field: string,
	min: number,
	max: number,
): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (typeof raw !== 'number' || !Number.isFinite(raw))
		throw new InputProblem(field, `must be a number, but the value is ${describeType(raw)}.`);
	if (raw < min || raw > max)
		throw new InputProblem(field, `must be between ${min} and ${max}, got ${raw}.`);
	return raw;
}

function flag(raw: unknown, field: string): boolean {
	if (raw === undefined || raw === null || raw === '') return false;
	if (typeof raw !== 'boolean')
		throw new InputProblem(field, `must be true or false, but the value is ${describeType(raw)}.`);
	return raw;
}

export function readRequestOptions(
	options: OptionsCollection,
	cloud: CloudEndpoints,
): RequestOptions {
	const version = options.apiVersion ?? 'v1.0';
	if (version !== 'v1.0' && version !== 'beta')
		throw new InputProblem('Options › API Version', 'must be v1.0 or beta.');
	if (version === 'beta' && !cloud.betaAvailable) {
		throw new InputProblem(
			'Options › API Version',
			`beta is not offered in the ${cloud.label} cloud: use v1.0.`,
		);
	}
	const maxRetries = wholeNumber(
		options.maxRetries,
		3,
		'Options › Max Retries',
		0,
		RETRY_LIMITS.maxRetries,
	);
	const maxWait = wholeNumber(
		options.maxRetryWaitSeconds,
		60,
		'Options › Max Total Retry Wait (Seconds)',
		0,
		RETRY_LIMITS.maxRetryWaitSeconds,
	);
	const timeout = wholeNumber(
		options.timeoutSeconds,
		60,
		'Options › Timeout (Seconds)',
		1,
		RETRY_LIMITS.timeoutSeconds,
	);
	return {
		version,
		headers: buildCustomHeaders(options.customHeaders?.header ?? []),
		includeResponseMetadata: flag(
			options.includeResponseMetadata,
			'Options › Include Response Metadata',
		),
		dryRun: flag(options.dryRun, 'Options › Dry Run'),
		policy: new TransportPolicy(Math.floor(maxRetries), maxWait * 1000, timeout * 1000),
	};
}
