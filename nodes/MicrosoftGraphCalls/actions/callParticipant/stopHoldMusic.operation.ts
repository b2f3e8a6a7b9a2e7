import { callIdField, participantIdField } from '../../descriptions/common';
import { additionalFieldsField, clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { clientContextBody } from '../../helpers/mediaBodies';
import { ACTIONS } from '../../engine/actionProfiles';
import { readMediaTarget, sendMediaAction } from '../../features/media/mediaAction';
import type { Operation } from '../../engine/operation';

/** Stop hold music: POST …/participants/{pid}/stopHoldMusic { clientContext } → 202 stopHoldMusicOperation. */
export const stopHoldMusic: Operation = {
	value: 'stopHoldMusic',
	name: 'Stop Hold Music',
	action: 'Stop hold music for a call participant',
	summary: 'Take a participant off hold',
	fields: [
		callIdField,
		participantIdField,
		additionalFieldsField([clientContextField]),
		plainOptionsField,
	],
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
