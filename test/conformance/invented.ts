/**
 * The shapes the simulator sends although no Microsoft example shows them, each with why it must
 * invent them. The conformance test lets these entries through, and only these; it fails when one
 * is no longer sent (drop it here) or an example now shows it (drop it here, and quote the example
 * in the fixtures). docs/unverified.md lists what was searched for each.
 *
 * Entries are shape entries (shapes.ts). For an answer's route, `status N` lets an undocumented
 * status through and `body` a body where the examples have none; an error "status code" with no
 * entries is an invented code.
 */
export interface InventedShape {
	/** A notification kind (kinds.ts), an answer's route, an error "status code", or 'error body'. */
	where: string;
	/** The shape entries let through there. */
	entries: readonly string[];
	/** A documented kind whose examples stand in for this one (same resource, another name). */
	like?: string;
	why: string;
}

const RESULT_INFO = [
	'resourceData.resultInfo : object',
	'resourceData.resultInfo.@odata.type = #microsoft.graph.resultInfo',
	'resourceData.resultInfo.code : number',
	'resourceData.resultInfo.subcode : number',
	'resourceData.resultInfo.message : string',
];

export const INVENTED: readonly InventedShape[] = [
	{
		where: 'operation inviteParticipantsOperation',
		entries: ['resourceData.status = failed', ...RESULT_INFO],
		why: "participant-invite.md shows only completed invitations. When the invitee never answers, the simulator fails the operation with resultInfo 408/10057, call-delete.md's code for a callee who never signalled, so that a client's reading of a failed invitation is exercised.",
	},
	{
		where: 'operation playPromptOperation',
		entries: ['resourceData.status = failed'],
		why: 'call-playprompt.md shows only a completed prompt. A prompt that cannot be fetched or has the wrong format, or that Cancel Media Processing stops, ends failed with resultInfo (400/8536, 400/8535, 400/8508 as the cancelled recording of call-cancelmediaprocessing.md), so that clients meet the failure the status enumeration (notStarted, running, completed, failed) allows.',
	},
	{
		where: 'operation recordOperation',
		entries: [
			'resourceData.completionReason = stopToneDetected',
			'resourceData.completionReason = playPromptFailed',
		],
		why: "call-record.md shows a recording ended by its maximum duration and call-cancelmediaprocessing.md one cancelled (completionReason operationCanceled). A recording ended by a stop tone, or whose prompt failed, carries the reason beta's recordCompletionReason names for it (stopToneDetected, playPromptFailed); the v1.0 pages show neither.",
	},
	{
		where: 'operation startHoldMusicOperation',
		entries: ['resourceData.status = failed', ...RESULT_INFO],
		why: "participant-startholdmusic.md shows only a completed operation. Hold music whose customPrompt cannot be fetched ends failed with the prompt's resultInfo (400/8536), as the simulator's failed prompts do.",
	},
	{
		where: 'operation stopHoldMusicOperation',
		entries: ['resourceData.@odata.type = #microsoft.graph.stopHoldMusicOperation'],
		like: 'operation startHoldMusicOperation',
		why: "participant-stopholdmusic.md shows no notification. The simulator sends the one startHoldMusic's page shows, with the stop operation's type (the pages' answers have the same shape).",
	},
	{
		where: 'GET /communications/calls/{id}',
		entries: [
			'state = terminated',
			'resultInfo : object',
			'resultInfo.@odata.type = #microsoft.graph.resultInfo',
			'resultInfo.code : number',
			'resultInfo.subcode : number',
			'resultInfo.message : string',
		],
		why: "No page shows a call read back after the far side ended it (call-keepalive.md: an ended call answers 404). The simulator answers such a call (never answered, declined) for a while with its state and resultInfo, so that Call and Wait for Keypress can tell why it ended even when the terminated notification was missed; after the bot's own hang-up it answers 404 8522 as documented.",
	},
	{
		where: 'GET /communications/callRecords/{id}',
		entries: ['sessions[].caller.identity : object', 'sessions[].callee.identity : object'],
		why: "Microsoft's pages disagree: callrecords-callrecord-get.md names a session's endpoints by associatedIdentity, callrecords-callrecord-list-sessions.md (both examples) by identity. The simulator writes identity in both answers (it keeps one record), which the node passes through unread.",
	},
	{
		where: '403 10151',
		entries: [],
		why: "A phone call from an application instance that is not the app's, or has no number. 403 with 10151 (no phone number for dial-out) is reported from tenants inside an operation's resultInfo; no page shows Create call refusing it. The simulator refuses the create with that status and code so the node's hint for it (which names the Calling form's fields) is exercised.",
	},
	{
		where: '409 Conflict',
		entries: [],
		why: "Only injected by tests (fault knob): Graph's errors page lists 409 with no calling example; the body is the documented error object with its generic code.",
	},
	{
		where: '413 RequestEntityTooLarge',
		entries: [],
		why: "A request body above 1 MiB. Graph's errors page lists 413 but shows no calling body; the node never sends one that large (the test of the limit does).",
	},
	{
		where: '424 FailedDependency',
		entries: [],
		why: 'json-batching.md says a step whose dependsOn failed fails with 424 Failed Dependency but shows no body; the simulator writes the documented error object with the code named after the status.',
	},
	{
		where: '500 InternalServerError',
		entries: [],
		why: "Injected by tests (fault knob) and the simulator's own crash guard. Graph's errors page lists 500 without a calling example body; the node reads the status and retries or reports it.",
	},
	{
		where: '502 BadGateway',
		entries: [],
		why: 'Injected by tests (fault knob): a gateway failure has no documented Graph body; the node reads the status only.',
	},
	{
		where: '503 ServiceUnavailable',
		entries: [],
		why: "Injected by tests (fault knob). Graph's errors page and throttling page name 503 (with Retry-After) but show no body; the node reads the status and Retry-After only.",
	},
	{
		where: '504 GatewayTimeout',
		entries: [],
		why: "Injected by tests (fault knob). Graph's errors page lists 504 without a body; the node reads the status only.",
	},
];
