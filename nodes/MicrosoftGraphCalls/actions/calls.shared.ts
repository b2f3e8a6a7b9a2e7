import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { validatePathId } from '../helpers/identifiers';
import { InputProblem } from '../helpers/inputProblem';
import {
	readRequestOptions,
	type OptionsCollection,
	type RequestOptions,
} from '../helpers/requestOptions';
import type { GraphMethod } from '../transport/graphTransport';
import { requestOptionFields } from './common.descriptions';
import type { OperationContext } from './context';
import { sendGraphRequest, standardHeaders, type SendOutcome } from './sendRequest';

/** Shared by the Call operations and the participant operations other than Invite. */

export const participantIdField: INodeProperties = {
	displayName: 'Participant ID',
	name: 'participantId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
	description:
		"The participant's ID in this call, as Call Participant › List outputs it (not the user's object ID)",
};

/** The plain Options collection (no body properties) for requests without a body of the user's. */
export const plainOptionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [...requestOptionFields],
};

/** Graph's calls API is missing in some clouds (China): say so before anything is sent. */
export function requireCallsApi(context: OperationContext): void {
	const { cloud } = context.settings;
	if (!cloud.inviteAvailable) {
		throw new InputProblem(
			'Credential › Cloud',
			`the Microsoft Graph calls API is not available in the ${cloud.label} cloud.`,
		);
	}
}

export function readOptions(
	functions: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): RequestOptions {
	return readRequestOptions(
		functions.getNodeParameter('options', itemIndex, {}) as OptionsCollection,
		context.settings.cloud,
	);
}

export function readParticipantId(functions: IExecuteFunctions, itemIndex: number): string {
	return validatePathId(
		functions.getNodeParameter('participantId', itemIndex, ''),
		'Participant ID',
		'0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
	);
}

export function callPath(callId: string, ...rest: string[]): string {
	return [
		'/communications/calls',
		encodeURIComponent(callId),
		...rest.map((segment) => encodeURIComponent(segment)),
	].join('/');
}

/** One request of an operation: headers, dry run, errors and hints all as Invite has them. */
export async function sendCallRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
	request: { method: GraphMethod; path: string; body?: Record<string, unknown> },
	options: RequestOptions,
	action: string,
): Promise<SendOutcome> {
	const hasBody = request.body !== undefined;
	return await sendGraphRequest.call(
		this,
		itemIndex,
		context,
		{
			method: request.method,
			version: options.version,
			path: request.path,
			headers: standardHeaders(options.headers, hasBody),
			...(hasBody ? { body: JSON.stringify(request.body) } : {}),
		},
		options,
		action,
	);
}

/**
 * The item for an answer without a body (204 of DELETE, 200 of keepAlive): a clear success with
 * what was done. A dry run's description passes through unchanged.
 */
export function successItem(
	outcome: SendOutcome,
	itemIndex: number,
	facts: IDataObject,
): INodeExecutionData {
	if (outcome.response === undefined)
		return { json: outcome.json, pairedItem: { item: itemIndex } };
	const { responseMetadata } = outcome.json;
	return {
		json: {
			success: true,
			status: outcome.response.status,
			...facts,
			...(responseMetadata !== undefined ? { responseMetadata } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
