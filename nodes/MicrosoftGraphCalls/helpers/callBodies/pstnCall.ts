import { validateGuid, validatePhoneNumber } from '../idFields';
import { InputProblem } from '../inputProblem';
import {
	displayName,
	identity,
	SERVICE_HOSTED_MEDIA,
	tenantOf,
	text,
	type CallBasics,
} from './shared';

interface PstnCallInput {
	basics: CallBasics;
	applicationInstanceId: unknown;
	applicationInstanceDisplayName: unknown;
	phoneNumber: unknown;
	tenantId: unknown;
	credentialTenantId: string;
}

/** POST /communications/calls body that dials a phone number from a resource account. */
export function pstnCallBody(input: PstnCallInput): Record<string, unknown> {
	const instanceId = text(input.applicationInstanceId, 'Resource Account ID');
	if (instanceId === undefined) {
		throw new InputProblem(
			'Resource Account ID',
			'is empty. Calls to phone numbers start from a Teams resource account (application instance) with a phone number, linked to this app: give its Entra object ID.',
		);
	}
	validateGuid(instanceId, 'Resource Account ID', 'a resource account');
	const phone = text(input.phoneNumber, 'Phone Number');
	if (phone === undefined)
		throw new InputProblem(
			'Phone Number',
			'is empty. Give the number to call in E.164, e.g. +12345678901.',
		);
	validatePhoneNumber(phone, 'Phone Number');
	return {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: input.basics.callbackUri,
		source: {
			'@odata.type': '#microsoft.graph.participantInfo',
			identity: {
				'@odata.type': '#microsoft.graph.identitySet',
				applicationInstance: identity(
					instanceId,
					displayName(input.applicationInstanceDisplayName, 'Resource Account Display Name'),
				),
			},
		},
		targets: [
			{
				'@odata.type': '#microsoft.graph.invitationParticipantInfo',
				identity: { '@odata.type': '#microsoft.graph.identitySet', phone: identity(phone) },
			},
		],
		requestedModalities: input.basics.requestedModalities,
		mediaConfig: SERVICE_HOSTED_MEDIA,
		tenantId: tenantOf(input.tenantId, input.credentialTenantId),
	};
}
