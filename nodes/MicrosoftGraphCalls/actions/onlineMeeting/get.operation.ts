import { plainOptionsField } from '../../descriptions/requestOptions';
import { InputProblem } from '../../helpers/inputProblem';
import {
	meetingByJoinUrlPath,
	meetingsPath,
	readMeetingId,
	readOrganizerId,
} from '../../helpers/onlineMeetings';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/**
 * Get: GET /users/{user}/onlineMeetings/{id}, or …/onlineMeetings?$filter=JoinWebUrl eq '…'
 * (Graph answers a list of one; the item is that meeting).
 */
export const get: Operation = {
	value: 'get',
	name: 'Get',
	action: 'Get an online meeting',
	summary: 'Get a meeting by its ID or its join link',
	permissions: [{ roles: ACTION_ROLES.getMeeting.roles }],
	fields: [
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
			description:
				"Entra object ID of the meeting's organizer (by meeting ID, an attendee's works too). The application access policy must be granted to this user.",
		},
		{
			displayName: 'Find By',
			name: 'findBy',
			type: 'options',
			options: [
				{ name: 'Join URL', value: 'joinUrl', description: "The meeting's join link" },
				{
					name: 'Meeting ID',
					value: 'meetingId',
					description: 'The meeting ID that Online Meeting › Create outputs',
				},
			],
			default: 'joinUrl',
		},
		{
			displayName: 'Join URL',
			name: 'joinUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://teams.microsoft.com/l/meetup-join/19%3ameeting_…',
			displayOptions: { show: { findBy: ['joinUrl'] } },
		},
		{
			displayName: 'Meeting ID',
			name: 'meetingId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. MSpkYzE3Njc0Yy04MWQ5LTRhZGItYmZiMi04ZjZhNDQyZTRkZTMqMCoqMTk6bWVldGluZ19…',
			displayOptions: { show: { findBy: ['meetingId'] } },
		},
		plainOptionsField,
	],
	usesCallsApi: false,
	async execute({ transport }, item, { request }) {
		const userId = readOrganizerId(item.param('userId'), 'User ID');
		const byUrl = item.param('findBy', 'joinUrl') !== 'meetingId';
		const path = byUrl
			? meetingByJoinUrlPath(userId, item.param('joinUrl'))
			: meetingsPath(userId, readMeetingId(item.param('meetingId')));
		const result = await transport.request(
			{ method: 'GET', path },
			request,
			ACTIONS.getMeeting,
			item.index,
		);
		if (!byUrl || !result.sent) return result.json;
		const found = Array.isArray(result.json.value) ? result.json.value : [];
		if (found.length === 0) {
			throw new InputProblem(
				'Join URL',
				'matches no meeting of this user. Check that User ID is the organizer and that the link is complete.',
				'Graph answered an empty list: the meeting exists under another organizer, was deleted, or the link was cut off.',
			);
		}
		const { responseMetadata } = result.json;
		return {
			...(found[0] as object),
			...(responseMetadata !== undefined ? { responseMetadata } : {}),
		};
	},
};
