/**
 * How long a page's execution waits: Options › Limit Wait Time, named and shaped as in n8n's
 * send-and-wait operations (after a time interval, or at a date and time), so that a workflow can
 * swap a Slack or Teams approval for a phone one. Without it a version 3 page waits at most an
 * hour: calls end on their own, and a page whose notifications stopped reaching n8n must not wait
 * forever. Version 1 and 2: Additional Fields › Give Up After (Seconds).
 *
 * When the limit passes first, n8n goes on with the node's input item unchanged (its rule for
 * every waiting node), as after a send-and-wait that nobody answered.
 */
import type { INodeProperties } from 'n8n-workflow';

import { InputProblem } from '../../helpers/inputProblem';
import { isJsonObject } from '../../../../lib/jsonObject';
import { readNumber } from '../../helpers/optionValues';
import { KEYPRESS_LIMITS } from './keypressOptions';

export const DEFAULT_PAGE_WAIT_MS = 60 * 60 * 1000;
/** Ours: a page that has not ended in a week will not. */
const MAX_PAGE_WAIT_MS = 7 * 24 * 60 * 60 * 1000;

export const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'The longest the execution waits for a choice (without it: one hour). Then n8n goes on with the input item unchanged.',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					default: 45,
					typeOptions: { minValue: 0, numberPrecision: 2 },
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'minutes',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					placeholder: 'e.g. 2026-12-08T09:00:00Z',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** The wait's end for a version 3 page. */
export function readWaitLimit(options: Record<string, unknown>, now: number): Date {
	const raw = options.limitWaitTime;
	const values = isJsonObject(raw) && isJsonObject(raw.values) ? raw.values : undefined;
	if (!values) return new Date(now + DEFAULT_PAGE_WAIT_MS);
	const field = 'Options › Limit Wait Time';
	let until: number;
	if (values.limitType === 'atSpecifiedTime') {
		until = new Date(String(values.maxDateAndTime ?? '')).getTime();
		if (Number.isNaN(until))
			throw new InputProblem(
				`${field} › Max Date and Time`,
				`"${String(values.maxDateAndTime ?? '').slice(0, 40)}" is not a date and time. Pick one, e.g. 2026-12-08T09:00:00Z.`,
			);
	} else {
		const amount = readNumber(values.resumeAmount ?? 45, {
			field: `${field} › Amount`,
			default: 45,
			min: 0,
			max: 1_000_000,
		});
		const unit = UNIT_MS[String(values.resumeUnit ?? 'minutes')] ?? UNIT_MS.minutes;
		until = now + amount * (unit as number);
	}
	if (until - now < KEYPRESS_LIMITS.timeoutSeconds.min * 1000)
		throw new InputProblem(
			field,
			`ends ${until <= now ? 'before now' : 'in less than 30 seconds'}: nobody could answer by then. Give at least a minute.`,
		);
	if (until - now > MAX_PAGE_WAIT_MS)
		throw new InputProblem(field, 'is more than a week away; give at most 7 days.');
	return new Date(until);
}
