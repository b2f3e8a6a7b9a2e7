import { InputProblem } from '../inputProblem';
import { checkParticipant, participantFromEntry, type ParticipantEntry } from '../participants';
import type { GraphVersion } from '../../transport/types';
import { botSource, displayName, SERVICE_HOSTED_MEDIA, text, type CallBasics } from './shared';

/** Graph documents group calls of up to five VoIP users. */
const MAX_GROUP_CALL_TARGETS = 5;
const MAX_SUBJECT_LENGTH = 256;

export interface UserCallInput {
	basics: CallBasics;
	/** The form's Targets collection (the same fields Invite uses). */
	targets: readonly ParticipantEntry[];
	botDisplayName: unknown;
	clientId: string;
	version: GraphVersion;
}

/** Peer-to-peer and group calls ring Teams users, given in the same collection Invite uses. */
function userTargets(
	entries: readonly ParticipantEntry[],
	callType: 'peerToPeer' | 'groupCall',
	version: GraphVersion,
): Record<string, unknown>[] {
	if (entries.length === 0)
		throw new InputProblem('Targets', 'is empty. Add the Teams user to call.');
	if (callType === 'peerToPeer' && entries.length > 1) {
		throw new InputProblem(
			'Targets',
			`has ${entries.length} entries; a peer-to-peer call rings one user. Choose Call Type › Group Call for 2 to ${MAX_GROUP_CALL_TARGETS} users.`,
		);
	}
	if (callType === 'groupCall' && entries.length === 1) {
		throw new InputProblem(
			'Targets',
			`has one entry; a group call rings 2 to ${MAX_GROUP_CALL_TARGETS} users. For one user choose Call Type › Peer-to-Peer (Teams User); invite more people later with Call Participant › Invite.`,
		);
	}
	if (entries.length > MAX_GROUP_CALL_TARGETS) {
		throw new InputProblem(
			'Targets',
			`has ${entries.length} entries; Graph starts group calls with at most ${MAX_GROUP_CALL_TARGETS} users. Start with five, then add the others with Call Participant › Invite.`,
		);
	}
	return entries.map((entry, position) => {
		const target = participantFromEntry(entry, position, version, {
			entry: 'Target',
			id: 'User ID',
			kindInId: false,
		});
		checkParticipant(target, position, version);
		const label = `Target ${position + 1}`;
		const kinds = Object.keys(target.identity).filter((key) => key !== '@odata.type');
		if (kinds.length !== 1 || kinds[0] !== 'user') {
			throw new InputProblem(
				`${label} › Type`,
				'must be Teams / Entra User for peer-to-peer and group calls. To dial a phone number choose Call Type › Phone Number (PSTN); to add bots or resource accounts, invite them once the call is up.',
			);
		}
		for (const key of ['replacesCallId', 'participantId'] as const) {
			if (target[key] !== undefined) {
				throw new InputProblem(
					`${label} › ${key === 'replacesCallId' ? 'Replaces Call ID' : 'Participant ID'}`,
					'applies only to Call Participant › Invite (moving someone into an existing call). Leave it empty when starting a call.',
				);
			}
		}
		return target;
	});
}

/** POST /communications/calls body that rings one Teams user. */
export function peerToPeerCallBody(input: UserCallInput): Record<string, unknown> {
	const botName = displayName(input.botDisplayName, 'Bot Display Name');
	return {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: input.basics.callbackUri,
		...(botName !== undefined ? { source: botSource(input.clientId, botName) } : {}),
		targets: userTargets(input.targets, 'peerToPeer', input.version),
		requestedModalities: input.basics.requestedModalities,
		mediaConfig: SERVICE_HOSTED_MEDIA,
	};
}

/** POST /communications/calls body that rings two to five Teams users at once. */
export function groupCallBody(
	input: UserCallInput & { subject: unknown },
): Record<string, unknown> {
	const subject = text(input.subject, 'Subject');
	if (subject !== undefined && subject.length > MAX_SUBJECT_LENGTH) {
		throw new InputProblem('Subject', `is longer than ${MAX_SUBJECT_LENGTH} characters.`);
	}
	return {
		'@odata.type': '#microsoft.graph.call',
		direction: 'outgoing',
		...(subject !== undefined ? { subject } : {}),
		callbackUri: input.basics.callbackUri,
		source: botSource(input.clientId, displayName(input.botDisplayName, 'Bot Display Name')),
		targets: userTargets(input.targets, 'groupCall', input.version),
		requestedModalities: input.basics.requestedModalities,
		mediaConfig: SERVICE_HOSTED_MEDIA,
	};
}
