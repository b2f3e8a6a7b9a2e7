import { additionalFieldsField, README } from '../../descriptions/common';
import { additionalBodyPropertiesField, optionsField } from '../../descriptions/requestOptions';
import { withAdditionalProperties } from '../../helpers/callBodies/shared';
import { meetingBody, meetingsPath, readOrganizerId } from '../../helpers/onlineMeetings';
import { readAdditionalFields } from '../../helpers/optionValues';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

/**
 * Create: POST /users/{organizer}/onlineMeetings. Graph answers 201 with the meeting; its
 * joinWebUrl goes straight into Call › Create › Join URL (the whole item is accepted there too).
 */
export const create: Operation = {
	value: 'create',
	name: 'Create',
	action: 'Create an online meeting',
	summary:
		'Create a Teams meeting for a user; its join link feeds Call › Create › Join a Teams Meeting',
	permissions: [{ roles: ACTION_ROLES.createMeeting.roles }],
	fields: [
		{
			displayName: `App-only meeting creation needs an application access policy for the organizer, set once by a Teams admin in PowerShell; it can take 30 minutes to apply. The commands: <a href="${README}#online-meeting" target="_blank">README › Online Meeting</a>.`,
			name: 'accessPolicyNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Organizer User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 278405a3-f568-4b3e-b684-009193463064',
			description:
				'Entra object ID of the user the meeting is created for; they become its organizer. The meeting does not appear in their calendar.',
		},
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			placeholder: 'e.g. P1 incident bridge',
		},
		{
			displayName: 'Start',
			name: 'startDateTime',
			type: 'dateTime',
			default: '',
			description: 'When the meeting starts. Empty: now (Graph fills it in).',
		},
		{
			displayName: 'End',
			name: 'endDateTime',
			type: 'dateTime',
			default: '',
			description: 'When the meeting ends. Empty: an hour after the start.',
		},
		additionalFieldsField([
			{
				displayName: 'Passcode Required',
				name: 'isPasscodeRequired',
				type: 'boolean',
				default: false,
				description:
					'Whether joining by meeting ID needs the passcode (Graph generates it; custom passcodes are not supported)',
			},
		]),
		optionsField([
			additionalBodyPropertiesField(
				'JSON object merged into the onlineMeeting body, for properties this form does not offer (e.g. {"lobbyBypassSettings": {"scope": "organization"}})',
			),
		]),
	],
	usesCallsApi: false,
	async execute({ transport }, item, options) {
		const userId = readOrganizerId(item.param('userId'));
		const body = withAdditionalProperties(
			meetingBody({
				subject: item.param('subject'),
				startDateTime: item.param('startDateTime'),
				endDateTime: item.param('endDateTime'),
				extra: readAdditionalFields(item.param('additionalFields', {})),
			}),
			options.additionalBodyProperties,
		);
		const result = await transport.request(
			{ method: 'POST', path: meetingsPath(userId), body },
			options.request,
			ACTIONS.createMeeting,
			item.index,
		);
		return result.json;
	},
};
