import { updateDisplayOptions } from 'n8n-workflow';

import { callIdField, participantIdField } from '../../descriptions/common';
import { additionalFieldsField, clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { clientContextBody } from '../../helpers/mediaBodies';
import { ACTIONS } from '../actionProfiles';
import { readMediaTarget, sendMediaAction } from '../media/mediaAction';
import type { Operation } from '../operation';

/** Stop hold music: POST …/participants/{pid}/stopHoldMusic { clientContext } → 202 stopHoldMusicOperation. */
export const stopHoldMusic: Operation = {
	description: updateDisplayOptions(
		{ show: { resource: ['callParticipant'], operation: ['stopHoldMusic'] } },
		[
			callIdField,
			participantIdField,
			additionalFieldsField([clientContextField]),
			plainOptionsField,
		],
	),
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item, true);
		return await sendMediaAction(
			context,
			item,
			options,
			target,
			'stopHoldMusic',
			clientContextBody(target.extra),
			ACTIONS.stopHoldMusic,
		);
	},
};
