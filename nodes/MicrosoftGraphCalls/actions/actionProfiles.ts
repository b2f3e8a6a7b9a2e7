import type { OperationPermission } from '../../../lib/entra/readiness';
import type { ActionProfile, GraphFailure } from '../transport/types';

/** An action as this table states it: any one of `roles` lets the app perform it. */
interface RoleProfile extends Omit<ActionProfile, 'permission'> {
	roles: readonly string[];
}

/**
 * Every action the operations perform: its name in messages ("Graph answered 403 to the hang up
 * request"), the least-privileged application permission Microsoft Graph's reference page names
 * for it, and advice for its own known failures. The transport reads nothing else about them.
 */

const GROUP_ONLY =
	'Graph supports this only in group calls and meetings, not in peer-to-peer calls.';

const PSTN_PREREQUISITES =
	"Calling a phone number needs, in this tenant: a Teams resource account (application instance) linked to this app (New-CsOnlineApplicationInstance, then Sync-CsOnlineApplicationInstance with -ApplicationId), a Teams Phone Resource Account licence on it, a phone number assigned to it (Calling Plan, Operator Connect or Direct Routing), and the application permission Calls.Initiate.All with admin consent. Give the resource account's object ID as Resource Account ID.";

const UNKNOWN_PARTICIPANT =
	'Graph does not know this participant in this call: they may have left or been removed. Participant IDs are the "id" values of Call Participant › List (not user IDs).';

/** 400 on a participant action: usually a peer-to-peer call, or a participant ID from elsewhere. */
function groupOnly({ status }: GraphFailure): string | undefined {
	return status === 400
		? `${GROUP_ONLY} Check also that the participant ID is one from Call Participant › List.`
		: undefined;
}

/** A participant that is not (or no longer) in the call; 8522 is the call itself. */
function participantHint(failure: GraphFailure): string | undefined {
	if (failure.status === 404 && failure.code !== '8522') return UNKNOWN_PARTICIPANT;
	return groupOnly(failure);
}

const ACTION_ROLES = {
	invite: {
		action: 'invite',
		roles: ['Calls.InitiateGroupCall.All'],
		hint: ({ status }) =>
			status === 400
				? "Graph rejected the request body: check the participants' IDs (Entra object IDs, E.164 phone numbers), the client context, and that beta-only fields are sent to the beta API."
				: undefined,
	},
	peerToPeer: {
		action: 'start peer-to-peer call',
		roles: ['Calls.Initiate.All'],
		hint: ({ status }) =>
			status === 400
				? 'Graph rejected the call: check the targets (Teams users by Entra object ID, at most five), the callback URL (https) and the requested modalities.'
				: undefined,
	},
	groupCall: {
		action: 'start group call',
		roles: ['Calls.InitiateGroupCall.All'],
		hint: ({ status }) =>
			status === 400
				? 'Graph rejected the call: check the targets (Teams users by Entra object ID, at most five), the callback URL (https) and the requested modalities.'
				: undefined,
	},
	pstn: {
		action: 'call phone number',
		roles: ['Calls.Initiate.All'],
		hint: ({ status, code }) =>
			status === 403 || status === 412 || code === '10151' || code === '9999'
				? PSTN_PREREQUISITES
				: undefined,
	},
	joinMeeting: {
		action: 'join meeting',
		roles: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'],
		hint: ({ status }) => {
			if (status === 404) {
				return 'Graph could not find the meeting: check the join link (or the meeting ID and passcode) and the tenant, and that the meeting has not been deleted.';
			}
			if (status === 400) {
				return 'Graph rejected the join request: check the join link (or the meeting ID and passcode), the tenant ID and the callback URL (https).';
			}
			return undefined;
		},
	},
	getCall: { action: 'get call', roles: ['Calls.Initiate.All'] },
	hangUp: { action: 'hang up', roles: ['Calls.Initiate.All'] },
	keepAlive: { action: 'keep alive', roles: ['Calls.Initiate.All'] },
	listParticipants: {
		action: 'list participants',
		roles: ['Calls.Initiate.All'],
		hint: groupOnly,
	},
	getParticipant: {
		action: 'get participant',
		roles: ['Calls.JoinGroupCall.All'],
		hint: participantHint,
	},
	muteParticipant: {
		action: 'mute participant',
		roles: ['Calls.JoinGroupCall.All'],
		hint: participantHint,
	},
	removeParticipant: {
		action: 'remove participant',
		roles: ['Calls.JoinGroupCall.All'],
		hint: (failure) => {
			if (failure.status === 403) {
				return `Graph refused to remove the participant. A tenant admin must allow this app to remove participants: Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds @{Add="${failure.clientId ?? '<client ID>'}"} (Teams PowerShell). The app also needs the application permission Calls.JoinGroupCall.All with admin consent.`;
			}
			return failure.status === 404 && failure.code !== '8522' ? UNKNOWN_PARTICIPANT : undefined;
		},
	},
} satisfies Record<string, RoleProfile>;

/** The profiles the transport gets: the permission named as Graph's reference pages name it. */
function withPermissions<K extends string>(
	table: Record<K, RoleProfile>,
): Record<K, ActionProfile> {
	const profiles = {} as Record<K, ActionProfile>;
	for (const key of Object.keys(table) as K[]) {
		profiles[key] = { ...table[key], permission: table[key].roles.join(' or ') };
	}
	return profiles;
}

export const ACTIONS = withPermissions(ACTION_ROLES);

/**
 * The node's permission table: each operation (as the form names it) and the application roles
 * any one of which lets it run. The credential test and App › Check Setup read it.
 */
export const OPERATION_PERMISSIONS: readonly OperationPermission[] = [
	{ operation: 'Call › Create (Peer-to-Peer)', roles: ACTION_ROLES.peerToPeer.roles },
	{ operation: 'Call › Create (Group Call)', roles: ACTION_ROLES.groupCall.roles },
	{ operation: 'Call › Create (Phone Number)', roles: ACTION_ROLES.pstn.roles },
	{ operation: 'Call › Create (Join a Teams Meeting)', roles: ACTION_ROLES.joinMeeting.roles },
	{ operation: 'Call › Get', roles: ACTION_ROLES.getCall.roles },
	{ operation: 'Call › Hang Up', roles: ACTION_ROLES.hangUp.roles },
	{ operation: 'Call › Keep Alive', roles: ACTION_ROLES.keepAlive.roles },
	{ operation: 'Call Participant › Invite', roles: ACTION_ROLES.invite.roles },
	{ operation: 'Call Participant › List', roles: ACTION_ROLES.listParticipants.roles },
	{ operation: 'Call Participant › Get', roles: ACTION_ROLES.getParticipant.roles },
	{ operation: 'Call Participant › Mute', roles: ACTION_ROLES.muteParticipant.roles },
	{ operation: 'Call Participant › Remove', roles: ACTION_ROLES.removeParticipant.roles },
];
