import { callIdField } from '../../descriptions/common';
import { additionalFieldsField } from '../../descriptions/common';
import { clientContextField } from '../../descriptions/mediaFields';
import { plainOptionsField } from '../../descriptions/requestOptions';
import { buildDtmfBody, MAX_DTMF_DELAY_MS } from '../../helpers/mediaBodies';
import { InputProblem } from '../../helpers/inputProblem';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import { readMediaTarget, sendMediaAction } from '../../features/media/mediaAction';
import type { Operation } from '../../engine/operation';

/**
 * Send DTMF tones: POST /communications/calls/{id}/sendDtmfTones { tones, delayBetweenTonesMs,
 * clientContext } → sendDtmfTonesOperation. Graph offers it in the global cloud only.
 */
export const sendDtmfTones: Operation = {
	value: 'sendDtmfTones',
	name: 'Send DTMF Tones',
	action: 'Send DTMF tones in a call',
	summary: 'Press phone keys in the call, e.g. to navigate a voice menu',
	permissions: [{ roles: ACTION_ROLES.sendDtmfTones.roles, rolesOfTheCall: true }],
	fields: [
		callIdField,
		{
			displayName: 'Tones',
			name: 'tones',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 1234#',
			description:
				'The keys to press, in order: 0-9, *, # and A-D (spaces and commas are ignored). Graph sends them in the global cloud only.',
		},
		additionalFieldsField([
			clientContextField,
			{
				displayName: 'Delay Between Tones (Ms)',
				name: 'delayBetweenTonesMs',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_DTMF_DELAY_MS, numberPrecision: 0 },
				default: 0,
				description: "Pause between two keys, in milliseconds (Graph's default when not set)",
			},
		]),
		plainOptionsField,
	],
	usesCallsApi: true,
	async execute(context, item, options) {
		const target = readMediaTarget(item);
		const body = buildDtmfBody(item.param('tones'), target.extra);
		// Graph's reference: sendDtmfTones is available in the global service only.
		const { cloud } = context.settings;
		if (cloud.name !== 'global' && cloud.name !== 'custom') {
			throw new InputProblem(
				'Credential › Cloud',
				`Graph sends DTMF tones only in the global cloud, not in ${cloud.label}.`,
			);
		}
		return await sendMediaAction(
			context,
			item,
			options,
			target,
			'sendDtmfTones',
			body,
			ACTIONS.sendDtmfTones,
		);
	},
};
