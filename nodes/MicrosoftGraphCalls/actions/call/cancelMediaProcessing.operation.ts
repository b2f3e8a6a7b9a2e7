import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField } from '../../descriptions/common';
import { additionalFieldsField, clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { clientContextBody } from '../../helpers/mediaBodies';
import { ACTIONS } from '../actionProfiles';
import { readMediaTarget, sendMediaAction } from '../media/mediaAction';
import type { Operation } from '../operation';

/**
 * Cancel media processing: POST /communications/calls/{id}/cancelMediaProcessing
 * { clientContext } → cancelMediaProcessingOperation. Stops the prompt or recording in progress
 * and the queued ones (each reports "failed" with 400/8508); tone subscriptions stay.
 */
export const cancelMediaProcessing: Operation = {
	description: updateDisplayOptions(
		{ show: { resource: ['call'], operation: ['cancelMediaProcessing'] } },
		[callIdField, additionalFieldsField([clientContextField]), plainOptionsField],
	),
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item);
		return await sendMediaAction(
			context,
			item,
			options,
			target,
			'cancelMediaProcessing',
			clientContextBody(target.extra),
			ACTIONS.cancelMediaProcessing,
		);
	},
};
