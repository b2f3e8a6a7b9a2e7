/**
 * Why a call ended, in Graph's own words. Graph reports it in the ended call's `resultInfo`
 * (code, subcode, message); its call-delete page lists the codes it documents ("Call end reason
 * codes", added by microsoft-graph-docs PR #16376 on 2022-03-31; the page's ms.date 2024-04-04).
 * Codes arrive as numbers (microsoft-graph-comms-samples#667) or as strings (the call-delete
 * page's own example), and the transfer page writes `subCode`: all are read.
 *
 * Each documented code is sorted into what it means for someone who placed a call and waits:
 * - `hungUp`: a participant ended the call (the other side, the bot, or everyone leaving);
 * - `unanswered`: nobody could be reached, or nobody picked up;
 * - `declined`: Graph says the call was rejected on the callee's side. Graph documents no code
 *   for a person declining a call; SIP's 486 and 603 are not Graph's and are not read as
 *   declined;
 * - `ended`: anything else (removed, transferred, a failure), and every code Graph does not
 *   document, whose message is then passed on as Graph wrote it.
 */
import { isJsonObject } from '../jsonObject';

export type CallEndCategory = 'hungUp' | 'unanswered' | 'declined' | 'ended';

interface DocumentedEnd {
	code: number;
	subcode: number;
	/** The call-delete page's "Termination reason", word for word. */
	reason: string;
	category: CallEndCategory;
}

const ended = (
	code: number,
	subcodes: number[],
	reason: string,
	category: CallEndCategory,
): DocumentedEnd[] => subcodes.map((subcode) => ({ code, subcode, reason, category }));

/** The call-delete page's table, row by row ("540000/560000" is one row for two subcodes). */
const DOCUMENTED_ENDS: readonly DocumentedEnd[] = [
	...ended(200, [4097], 'Call ended by the other participant in the call.', 'hungUp'),
	...ended(200, [4521], 'Call ended by the other participant in peer-to-peer call.', 'hungUp'),
	...ended(200, [5000], 'Removed from the conversation by another participant.', 'ended'),
	...ended(200, [5001, 5003], 'The conversation has ended.', 'hungUp'),
	...ended(
		200,
		[5002],
		'The conversation has ended as all other participants have left the call.',
		'hungUp',
	),
	...ended(
		200,
		[5007],
		'The conversation has ended as the initiator of the group call left the conversation.',
		'hungUp',
	),
	...ended(
		200,
		[5010],
		'The conversation has ended as only one participant remained in the conversation.',
		'hungUp',
	),
	...ended(
		200,
		[5012],
		'The conversation has ended as there are no participants in the incoming roster.',
		'hungUp',
	),
	...ended(
		200,
		[5013],
		'The conversation has ended as no one else has joined the group call.',
		'unanswered',
	),
	...ended(
		200,
		[5014],
		'The conversation has ended because we were unable to determine a potential host for the group call.',
		'ended',
	),
	...ended(
		200,
		[5020],
		'The conversation has ended as there are no non-hidden participants in the incoming roster.',
		'hungUp',
	),
	...ended(
		200,
		[5030],
		'The conversation has ended as the breakout room duration has elapsed.',
		'ended',
	),
	...ended(
		200,
		[5300],
		'Participant was removed from the conversation by another participant.',
		'ended',
	),
	...ended(
		200,
		[5855],
		'Participant waiting in lobby was removed from the conversation after lobby inactivity timeout.',
		'unanswered',
	),
	...ended(200, [7000, 10550], 'The conversation has ended by bot.', 'hungUp'),
	...ended(200, [7015], 'Call ended as the transfer completed successfully.', 'ended'),
	...ended(
		200,
		[18503],
		'The other participant in the peer-to-peer call left the conversation.',
		'hungUp',
	),
	...ended(200, [540000, 560000], 'Call ended by the PSTN User.', 'hungUp'),
	...ended(408, [8537], 'Keep Alive timeout, cleaned up inactive call.', 'ended'),
	...ended(
		408,
		[1106],
		'An acknowledgement was not received for the call acceptance in the allotted time.',
		'ended',
	),
	...ended(408, [10057], 'Call timed out due to no signaling from callee endpoints.', 'unanswered'),
	...ended(410, [301005], 'Media connectivity failure.', 'ended'),
	...ended(480, [10037], 'No callee endpoints were found.', 'unanswered'),
	...ended(480, [10076], 'Callee could not be reached.', 'unanswered'),
	...ended(480, [10134], 'Call rejected due to inability to route the call.', 'unanswered'),
	...ended(480, [10199], 'Call rejected as private calling is disabled for the user.', 'declined'),
	...ended(
		500,
		[1005],
		"Server encountered connectivity error with Bot's media. Please check media connectivity between Bot and Microsoft.",
		'ended',
	),
	// The transfer page's blind-transfer examples end with code 0, subcode 7015,
	// "GracefulTransferCompleted" (call-transfer.md, examples 1, 3 and 5).
	...ended(0, [7015], 'Call ended as the transfer completed successfully.', 'ended'),
];

/** How a call ended: Graph's codes and message as sent, and what they mean. */
export interface CallEndReason {
	code: number | null;
	subcode: number | null;
	/** Graph's own message, as sent. */
	message: string | null;
	/** The call-delete page's reason for this code and subcode; null when the page lists none. */
	reason: string | null;
	documented: boolean;
	category: CallEndCategory;
	/** One line for people: the documented reason, else Graph's message, with the codes. */
	text: string;
}

function whole(value: unknown): number | null {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

/** Reads a terminated call's resultInfo (and terminationReason, which some endings carry instead). */
export function readCallEnd(resultInfo: unknown, terminationReason?: unknown): CallEndReason {
	const info = isJsonObject(resultInfo) ? resultInfo : {};
	const code = whole(info.code);
	const subcode = whole(info.subcode ?? info.subCode);
	const message = typeof info.message === 'string' && info.message !== '' ? info.message : null;
	const known = DOCUMENTED_ENDS.find((row) => row.code === code && row.subcode === subcode);
	const codes = `code ${code ?? 'none'}, subcode ${subcode ?? 'none'}`;
	if (known)
		return {
			code,
			subcode,
			message,
			reason: known.reason,
			documented: true,
			category: known.category,
			text: `${known.reason} (${codes})`,
		};
	const termination =
		typeof terminationReason === 'string' && terminationReason !== '' ? terminationReason : null;
	let text: string;
	if (message !== null)
		text = `Graph said: "${message}" (${codes}; not in Graph's list of call end reasons)`;
	else if (code !== null || subcode !== null)
		text = `Graph gave no message (${codes}; not in Graph's list of call end reasons)`;
	else if (termination !== null) text = `Graph gave the termination reason "${termination}"`;
	else text = 'Graph gave no reason';
	return {
		code,
		subcode,
		message,
		reason: null,
		documented: false,
		category: 'ended',
		text,
	};
}
