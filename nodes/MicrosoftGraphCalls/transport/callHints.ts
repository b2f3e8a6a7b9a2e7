import type { HintContext } from './graphErrors';

/**
 * The action names the Call and Call Participant operations report (they appear in messages:
 * "Graph answered 403 to the join meeting request") and the application permission each needs.
 * Invite is not listed: its hints stay in graphErrors.ts.
 */
export const CALL_ACTIONS = {
	peerToPeer: 'start peer-to-peer call',
	groupCall: 'start group call',
	pstn: 'call phone number',
	joinMeeting: 'join meeting',
	getCall: 'get call',
	hangUp: 'hang up',
	keepAlive: 'keep alive',
	listParticipants: 'list participants',
	getParticipant: 'get participant',
	removeParticipant: 'remove participant',
	muteParticipant: 'mute participant',
} as const;

/** Least-privileged application permission per action (Microsoft Graph reference pages). */
export const ACTION_PERMISSIONS: Readonly<Record<string, string>> = {
	[CALL_ACTIONS.peerToPeer]: 'Calls.Initiate.All',
	[CALL_ACTIONS.groupCall]: 'Calls.InitiateGroupCall.All',
	[CALL_ACTIONS.pstn]: 'Calls.Initiate.All',
	[CALL_ACTIONS.joinMeeting]:
		'Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All to join as a guest)',
	[CALL_ACTIONS.getCall]: 'Calls.Initiate.All',
	[CALL_ACTIONS.hangUp]: 'Calls.Initiate.All',
	[CALL_ACTIONS.keepAlive]: 'Calls.Initiate.All',
	[CALL_ACTIONS.listParticipants]: 'Calls.Initiate.All',
	[CALL_ACTIONS.getParticipant]: 'Calls.JoinGroupCall.All',
	[CALL_ACTIONS.removeParticipant]: 'Calls.JoinGroupCall.All',
	[CALL_ACTIONS.muteParticipant]: 'Calls.JoinGroupCall.All',
};

const CALLING_BOT =
	"The app is not registered as a calling bot (Graph code 7503). In the Azure portal open the app's Azure Bot resource › Channels › Microsoft Teams › Calling, tick \"Enable calling\" and set the Webhook (for calling) to your https callback URL (or do the same under Teams Developer Portal › Tools › Bot management); the bot's Microsoft App ID must be this credential's client ID. Changes can take a few minutes to apply.";

const PSTN_PREREQUISITES =
	"Calling a phone number needs, in this tenant: a Teams resource account (application instance) linked to this app (New-CsOnlineApplicationInstance, then Sync-CsOnlineApplicationInstance with -ApplicationId), a Teams Phone Resource Account licence on it, a phone number assigned to it (Calling Plan, Operator Connect or Direct Routing), and the application permission Calls.Initiate.All with admin consent. Give the resource account's object ID as Resource Account ID.";

const GROUP_ONLY =
	'Graph supports this only in group calls and meetings, not in peer-to-peer calls.';

/**
 * Advice for the Call resource and the participant actions other than Invite, or undefined to
 * fall back to the general hints (404 8522, 401, 429, 5xx...).
 */
export function callResourceHint(
	status: number,
	code: string | undefined,
	context: HintContext,
): string | undefined {
	const permission = ACTION_PERMISSIONS[context.action];
	if (permission === undefined) return undefined;
	const app = context.clientId ? ` (client ID ${context.clientId})` : '';
	if (status === 403 && code === '7503') return CALLING_BOT;
	if (
		context.action === CALL_ACTIONS.pstn &&
		(status === 403 || status === 412 || code === '10151' || code === '9999')
	)
		return PSTN_PREREQUISITES;
	if (status === 403 && context.action === CALL_ACTIONS.removeParticipant) {
		return `Graph refused to remove the participant. A tenant admin must allow this app to remove participants: Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds @{Add="${context.clientId ?? '<client ID>'}"} (Teams PowerShell). The app also needs the application permission ${permission} with admin consent.`;
	}
	if (status === 403) {
		return `Graph refused the app${app}. To ${context.action} it needs the Microsoft Graph application permission ${permission} with admin consent in this tenant (code 7504 means the tenant's permissions are insufficient). Run the credential test to see which roles the token carries.`;
	}
	if (
		status === 400 &&
		(context.action === CALL_ACTIONS.muteParticipant ||
			context.action === CALL_ACTIONS.listParticipants ||
			context.action === CALL_ACTIONS.getParticipant)
	) {
		return `${GROUP_ONLY} Check also that the participant ID is one from Call Participant › List.`;
	}
	if (
		status === 404 &&
		code !== '8522' &&
		(context.action === CALL_ACTIONS.getParticipant ||
			context.action === CALL_ACTIONS.removeParticipant ||
			context.action === CALL_ACTIONS.muteParticipant)
	) {
		return 'Graph does not know this participant in this call: they may have left or been removed. Participant IDs are the "id" values of Call Participant › List (not user IDs).';
	}
	if (status === 404 && context.action === CALL_ACTIONS.joinMeeting) {
		return 'Graph could not find the meeting: check the join link (or the meeting ID and passcode) and the tenant, and that the meeting has not been deleted.';
	}
	if (status === 400 && context.action === CALL_ACTIONS.joinMeeting) {
		return 'Graph rejected the join request: check the join link (or the meeting ID and passcode), the tenant ID and the callback URL (https).';
	}
	if (
		status === 400 &&
		(context.action === CALL_ACTIONS.peerToPeer || context.action === CALL_ACTIONS.groupCall)
	) {
		return 'Graph rejected the call: check the targets (Teams users by Entra object ID, at most five), the callback URL (https) and the requested modalities.';
	}
	return undefined;
}
