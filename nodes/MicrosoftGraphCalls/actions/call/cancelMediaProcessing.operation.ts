import { callIdField } from '../../descriptions/common';
import { additionalFieldsField } from '../../descriptions/common';
import { clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { clientContextAction } from '../../features/media/mediaAction';
import type { Operation } from '../../engine/operation';

/**
 * Cancel media processing: POST /communications/calls/{id}/cancelMediaProcessing
 * { clientContext } → cancelMediaProcessingOperation. Stops the prompt or recording in progress
 * and the queued ones (each reports "failed" with 400/8508); tone subscriptions stay.
 */
export const cancelMediaProcessing: Operation = {
	value: 'cancelMediaProcessing',
	name: 'Cancel Media Processing',
	action: 'Cancel media processing in a call',
	summary: 'Stop the prompt or recording in progress and the queued ones',
	permissions: [{ roles: ACTION_ROLES.cancelMediaProcessing.roles, rolesOfTheCall: true }],
	fields: [callIdField, additionalFieldsField([clientContextField]), plainOptionsField],
	usesCallsApi: true,
	execute: clientContextAction('cancelMediaProcessing', ACTIONS.cancelMediaProcessing),
};
