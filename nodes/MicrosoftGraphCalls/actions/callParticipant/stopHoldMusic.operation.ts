import { callIdField, participantIdField } from '../../descriptions/common';
import { additionalFieldsField } from '../../descriptions/common';
import { clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { clientContextAction } from '../../features/media/mediaAction';
import type { Operation } from '../../engine/operation';

/** Stop hold music: POST …/participants/{pid}/stopHoldMusic { clientContext } → 202 stopHoldMusicOperation. */
export const stopHoldMusic: Operation = {
	value: 'stopHoldMusic',
	name: 'Stop Hold Music',
	action: 'Stop hold music for a call participant',
	summary: 'Take a participant off hold',
	permissions: [{ roles: ACTION_ROLES.stopHoldMusic.roles, rolesOfTheCall: true }],
	fields: [
		callIdField,
		participantIdField,
		additionalFieldsField([clientContextField]),
		plainOptionsField,
	],
	usesCallsApi: true,
	execute: clientContextAction('stopHoldMusic', ACTIONS.stopHoldMusic, true),
};
