import type { IDataObject } from 'n8n-workflow';

import type { CloudEndpoints } from '../../../lib/entra/clouds';
import { RETRY_LIMITS, WAIT_LIMITS } from '../limits';
import { TransportPolicy } from '../transport/types';
import type { RequestSettings } from '../transport/types';
import { buildCustomHeaders, type HeaderEntry } from './customHeaders';
import { InputProblem } from './inputProblem';
import { isUnset, readFlag, readNumber } from './optionValues';

/** Wait for Outcome, when an item asks for it. */
export interface WaitSettings {
	timeoutMs: number;
	intervalMs: number;
}

/** One item's Options collection, read and checked once (by the router) for its operation. */
export interface NodeOptions {
	request: RequestSettings;
	/** Raw JSON from the form: the body builders check it against their own body. */
	additionalBodyProperties?: unknown;
	/** Set when the item waits for the outcome (and it is not a dry run). */
	wait?: WaitSettings;
	/** Invite: leave out invitees already in the call's roster. */
	skipPeopleAlreadyInCall: boolean;
}

function readRequestSettings(options: IDataObject, cloud: CloudEndpoints): RequestSettings {
	const version = options.apiVersion ?? 'v1.0';
	if (version !== 'v1.0' && version !== 'beta') {
		throw new InputProblem('Options › API Version', 'must be v1.0 or beta.');
	}
	if (version === 'beta' && !cloud.betaAvailable) {
		throw new InputProblem(
			'Options › API Version',
			`beta is not offered in the ${cloud.label} cloud: use v1.0.`,
		);
	}
	const maxRetries = readNumber(options.maxRetries, {
		field: 'Options › Max Retries',
		...RETRY_LIMITS.maxRetries,
		whole: true,
	});
	const maxWaitSeconds = readNumber(options.maxRetryWaitSeconds, {
		field: 'Options › Max Total Retry Wait (Seconds)',
		...RETRY_LIMITS.maxRetryWaitSeconds,
		whole: true,
	});
	const timeoutSeconds = readNumber(options.timeoutSeconds, {
		field: 'Options › Timeout (Seconds)',
		...RETRY_LIMITS.timeoutSeconds,
		whole: true,
	});
	const headerEntries = (options.customHeaders as { header?: HeaderEntry[] } | undefined)?.header;
	return {
		version,
		headers: buildCustomHeaders(headerEntries ?? []),
		includeResponseMetadata: readFlag(
			options.includeResponseMetadata,
			'Options › Include Response Metadata',
		),
		dryRun: readFlag(options.dryRun, 'Options › Dry Run'),
		policy: new TransportPolicy(maxRetries, maxWaitSeconds * 1000, timeoutSeconds * 1000),
	};
}

function readWaitSettings(options: IDataObject): WaitSettings | undefined {
	if (!readFlag(options.waitForOutcome, 'Options › Wait for Outcome')) return undefined;
	const timeout = readNumber(options.waitTimeoutSeconds, {
		field: 'Options › Wait Timeout (Seconds)',
		...WAIT_LIMITS.timeoutSeconds,
	});
	const interval = readNumber(options.pollIntervalSeconds, {
		field: 'Options › Poll Interval (Seconds)',
		...WAIT_LIMITS.pollIntervalSeconds,
	});
	return { timeoutMs: Math.round(timeout * 1000), intervalMs: Math.round(interval * 1000) };
}

export function readNodeOptions(options: IDataObject, cloud: CloudEndpoints): NodeOptions {
	const request = readRequestSettings(options, cloud);
	const wait = readWaitSettings(options);
	return {
		request,
		...(isUnset(options.additionalBodyProperties)
			? {}
			: { additionalBodyProperties: options.additionalBodyProperties }),
		// A dry run sends nothing, so there is no outcome to wait for.
		...(wait && !request.dryRun ? { wait } : {}),
		skipPeopleAlreadyInCall: readFlag(
			options.skipPeopleAlreadyInCall,
			'Options › Skip People Already in the Call',
		),
	};
}
