import { callIdField } from '../../descriptions/common';
import { additionalFieldsField } from '../../descriptions/common';
import { clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { clientContextAction } from '../../features/media/mediaAction';
import type { Operation } from '../../engine/operation';

/**
 * Subscribe to tone: POST /communications/calls/{id}/subscribeToTone { clientContext } →
 * subscribeToToneOperation, already "completed". Each key pressed then arrives at the callback
 * URL as a call update carrying toneInfo (the trigger's Tone event).
 */
export const subscribeToTone: Operation = {
	value: 'subscribeToTone',
	name: 'Subscribe to Tone',
	action: 'Subscribe to tones in a call',
	summary: 'Receive every key the other side presses as a Tone event of the trigger',
	permissions: [{ roles: ACTION_ROLES.subscribeToTone.roles }],
	fields: [
		{
			displayName:
				"After this, every key the other side presses arrives at the call's callback URL (the trigger's Tone event). Graph needs the application permission Calls.AccessMedia.All for it.",
			name: 'subscribeToToneNotice',
			type: 'notice',
			default: '',
		},
		callIdField,
		additionalFieldsField([clientContextField]),
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: clientContextAction('subscribeToTone', ACTIONS.subscribeToTone),
};
