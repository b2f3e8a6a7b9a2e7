import { InputProblem } from '../inputProblem';
import { decodeTeamsJoinUrl, MEETING_ID } from '../meetingJoinUrl';
import { SERVICE_HOSTED_MEDIA, tenantOf, text, type CallBasics } from './shared';

const MAX_PASSCODE_LENGTH = 64;

interface JoinMeetingInput {
	basics: CallBasics;
	joinMethod: unknown;
	joinUrl: unknown;
	meetingId: unknown;
	passcode: unknown;
	tenantId: unknown;
	credentialTenantId: string;
}

function byMeetingId(
	joinMeetingId: string,
	passcode: string | undefined,
	tenantId: string,
): Record<string, unknown> {
	return {
		meetingInfo: {
			'@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
			joinMeetingId,
			...(passcode !== undefined ? { passcode } : {}),
		},
		tenantId,
	};
}

/** The meeting part of the body: from the join link (long or short form) or ID and passcode. */
function meetingInfo(input: JoinMeetingInput): Record<string, unknown> {
	const method = text(input.joinMethod, 'Join Method') ?? 'joinUrl';
	if (method === 'joinUrl') {
		const decoded = decodeTeamsJoinUrl(input.joinUrl, 'Join URL');
		if (decoded.kind === 'meetingId') {
			return byMeetingId(
				decoded.joinMeetingId,
				decoded.passcode,
				tenantOf(input.tenantId, input.credentialTenantId),
			);
		}
		return {
			chatInfo: {
				'@odata.type': '#microsoft.graph.chatInfo',
				threadId: decoded.threadId,
				messageId: decoded.messageId,
			},
			meetingInfo: {
				'@odata.type': '#microsoft.graph.organizerMeetingInfo',
				organizer: {
					'@odata.type': '#microsoft.graph.identitySet',
					user: {
						'@odata.type': '#microsoft.graph.identity',
						id: decoded.organizerId,
						tenantId: decoded.tenantId,
					},
				},
			},
			tenantId: decoded.tenantId,
		};
	}
	if (method !== 'meetingId')
		throw new InputProblem('Join Method', `"${method}" is not one of joinUrl, meetingId.`);
	const rawId = text(input.meetingId, 'Meeting ID');
	if (rawId === undefined) {
		throw new InputProblem(
			'Meeting ID',
			'is empty. Give the meeting ID from the invitation ("Meeting ID: 123 456 789 012").',
		);
	}
	const joinMeetingId = rawId.replace(/\s+/g, '');
	if (!MEETING_ID.test(joinMeetingId)) {
		throw new InputProblem(
			'Meeting ID',
			`"${rawId}" is not a meeting ID: digits only (spaces are removed), as the invitation shows after "Meeting ID:".`,
		);
	}
	const passcode = text(input.passcode, 'Passcode');
	if (passcode !== undefined && (passcode.length > MAX_PASSCODE_LENGTH || /\s/.test(passcode))) {
		throw new InputProblem(
			'Passcode',
			'must be the passcode alone, without spaces, as the invitation shows after "Passcode:".',
		);
	}
	return byMeetingId(joinMeetingId, passcode, tenantOf(input.tenantId, input.credentialTenantId));
}

/** POST /communications/calls body that joins a scheduled Teams meeting. */
export function joinMeetingCallBody(input: JoinMeetingInput): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.call',
		callbackUri: input.basics.callbackUri,
		requestedModalities: input.basics.requestedModalities,
		mediaConfig: SERVICE_HOSTED_MEDIA,
		...meetingInfo(input),
	};
}
