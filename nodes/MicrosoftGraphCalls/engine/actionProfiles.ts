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
	'Graph does not know this participant in this call: they may have left or been removed. Participant IDs are the "id" values of Call Participant › Get Many (not user IDs).';

/** An incoming call has 15 seconds (5 for policy-based recording) to be answered, rejected or redirected. */
function incomingCallHint(verb: string): (failure: GraphFailure) => string | undefined {
	return ({ status, code }) => {
		if (status === 404 && code === '8522')
			return `The call is gone: an incoming call must be ${verb}ed within 15 seconds of its notification (5 for policy-based recording), or the caller hung up. Put this node right after the trigger, with nothing slow in between.`;
		if (status === 400)
			return `Graph refused to ${verb} the call: only an incoming call (state "incoming") that was not yet answered, rejected or redirected can be; an established call is ended with Hang Up.`;
		return undefined;
	};
}

/**
 * App-only meeting access also needs an application access policy granted to the user
 * (cloud-communication-online-meeting-application-access-policy.md). Graph's refusal has had three
 * documented shapes, all recognised: 403 `Forbidden` "No Application Access Policy found for this
 * app" (the page since microsoft-graph-docs PR #21541, June 2023), 403 `General` with the same
 * words (msgraph-sdk-dotnet#2350, msgraph-sdk-powershell#3348), and the page's older `Unauthorized`
 * "App … is not authorized to Create meeting on behalf of user …". A 403 without those words (no
 * OnlineMeetings permission) gets the general permission advice instead.
 */
const ACCESS_POLICY_REFUSAL =
	/no application access policy found|is not authorized to \w+ meeting on behalf of user/i;

function meetingHint({ code, message, clientId }: GraphFailure): string | undefined {
	if (code !== 'Unauthorized' && !ACCESS_POLICY_REFUSAL.test(message ?? '')) return undefined;
	return `No application access policy lets this app act for that user. A Teams admin runs once (PowerShell, MicrosoftTeams module): New-CsApplicationAccessPolicy -Identity n8n-meetings -AppIds "${clientId ?? '<client ID>'}", then Grant-CsApplicationAccessPolicy -PolicyName n8n-meetings -Identity "<user object ID>" (or -Global for every user). It takes up to 30 minutes to apply.`;
}

/** 400 on a participant action: usually a peer-to-peer call, or a participant ID from elsewhere. */
function groupOnly({ status }: GraphFailure): string | undefined {
	return status === 400
		? `${GROUP_ONLY} Check also that the participant ID is one from Call Participant › Get Many.`
		: undefined;
}

/** A participant that is not (or no longer) in the call; 8522 is the call itself. */
function participantHint(failure: GraphFailure): string | undefined {
	if (failure.status === 404 && failure.code !== '8522') return UNKNOWN_PARTICIPANT;
	return groupOnly(failure);
}

const WAV_PROMPT =
	'Each prompt must be an https URL of a WAV file (PCM, mono, 16-bit, 16 kHz) that Graph can download; the call must use service-hosted media (calls this node creates do).';

/** 400 on a media action: the body or the call's media; 404 without 8522: an unknown operation. */
function mediaHint(what: string): (failure: GraphFailure) => string | undefined {
	return ({ status }) =>
		status === 400 ? `Graph refused the ${what} request. ${WAV_PROMPT}` : undefined;
}

/** Hold music: one participant on hold at a time, and participant IDs from the roster. */
function holdMusicHint(failure: GraphFailure): string | undefined {
	if (failure.status === 400 || failure.status === 409)
		return `Graph refused hold music: only one participant can be on hold at a time (stop it for the other participant first), and a custom prompt must follow Graph's format. ${WAV_PROMPT}`;
	return failure.status === 404 && failure.code !== '8522' ? UNKNOWN_PARTICIPANT : undefined;
}

export const ACTION_ROLES = {
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
	// Incoming-call control. answer: Graph's table names Calls.JoinGroupCall.All (least
	// privileged) and Calls.JoinGroupCallAsGuest.All, and "If a user wants to call a bot, the bot
	// doesn't need any additional permissions in order to respond to the P2P call"
	// (cloud-communications-calls): OPERATION_PERMISSIONS says so. reject's page names no
	// permission: the bot must merely own the call.
	answerCall: {
		action: 'answer call',
		roles: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'],
		hint: incomingCallHint('answer'),
	},
	rejectCall: {
		action: 'reject call',
		roles: [],
		hint: (failure) =>
			failure.status === 403
				? "Graph refused to reject the call. Its reference page names no permission for reject: the call must be one that came to this credential's bot (the trigger's item of an incoming call), and the app must be a calling bot in this tenant."
				: incomingCallHint('reject')(failure),
	},
	redirectCall: {
		action: 'redirect call',
		roles: ['Calls.Initiate.All'],
		hint: (failure) =>
			failure.status === 400
				? "Graph refused the redirect: only an incoming call that was not answered or rejected yet can be redirected (within 15 seconds), the timeout must be 15 to 90 seconds, and a call to the bot's UPN cannot go to a phone number (only calls to its resource account can)."
				: incomingCallHint('redirect')(failure),
	},
	transferCall: {
		action: 'transfer call',
		roles: ['Calls.Initiate.All'],
		hint: ({ status }) =>
			status === 400
				? 'Graph refused the transfer: only an established call can be transferred; both the transferee and the target must be Teams users of the same tenant (phone numbers only for calls of a resource account); from a group call, give the transferee (Additional Fields).'
				: undefined,
	},
	// Online meetings and call records: not calls, but the bridge around them.
	createMeeting: {
		action: 'create online meeting',
		roles: ['OnlineMeetings.ReadWrite.All'],
		hint: meetingHint,
	},
	getMeeting: {
		action: 'get online meeting',
		roles: ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'],
		hint: (failure) =>
			failure.status === 404
				? 'Graph found no such meeting for this user: check the meeting ID (the "id" of Online Meeting › Create) and that User ID is the organizer or an attendee.'
				: meetingHint(failure),
	},
	getCallRecord: {
		action: 'get call record',
		roles: ['CallRecords.Read.All'],
		hint: ({ status }) =>
			status === 404
				? "Graph has no record for this ID yet, or no longer: records appear after the call ends (usually within 15 minutes, up to 60) and are kept 30 days. Wait and run again (e.g. behind a Wait node of 20 minutes); the ID is the call's callChainId."
				: undefined,
	},
	hangUp: { action: 'hang up', roles: ['Calls.Initiate.All'] },
	keepAlive: { action: 'keep alive', roles: ['Calls.Initiate.All'] },
	// Media actions. playPrompt, sendDtmfTones and cancelMediaProcessing: "permissions
	// are checked when the call is created"; recordResponse and subscribeToTone name only
	// Calls.AccessMedia.All; hold music: the live page names the join roles, the repository's page
	// "None" ("The permission check happens when the application joins or tries to start the
	// call"): the roles named here are for the 403 hint, readiness goes by the call's.
	playPrompt: {
		action: 'play prompt',
		roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
		hint: mediaHint('play prompt'),
	},
	recordResponse: {
		action: 'record response',
		roles: ['Calls.AccessMedia.All'],
		hint: ({ status }) =>
			status === 400
				? `Graph refused the record request: the timeouts and the duration must be 1 to 120 seconds, at most one prompt, stop tones are keys (0-9, *, #). ${WAV_PROMPT}`
				: undefined,
	},
	subscribeToTone: {
		action: 'subscribe to tone',
		roles: ['Calls.AccessMedia.All'],
		hint: mediaHint('subscribe to tone'),
	},
	sendDtmfTones: {
		action: 'send DTMF tones',
		roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
		hint: ({ status }) =>
			status === 400
				? 'Graph refused the tones: each must be one of tone0-tone9, star, pound, a-d; Graph sends DTMF only in the global cloud and only in an established call.'
				: undefined,
	},
	cancelMediaProcessing: {
		action: 'cancel media processing',
		roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
	},
	startHoldMusic: {
		action: 'start hold music',
		roles: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'],
		hint: holdMusicHint,
	},
	stopHoldMusic: {
		action: 'stop hold music',
		roles: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCallAsGuest.All'],
		hint: holdMusicHint,
	},
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
		const roles = table[key].roles;
		profiles[key] = {
			...table[key],
			permission: roles.length > 0 ? roles.join(' or ') : 'none (Graph names no permission)',
		};
	}
	return profiles;
}

export const ACTIONS = withPermissions(ACTION_ROLES);
