import { updateDisplayOptions } from 'n8n-workflow';

import { requestOptionFields } from '../../descriptions/requestOptions';
import { callRecordReport } from '../../helpers/callRecordReport';
import { validateGuid } from '../../helpers/identifiers';
import { InputProblem } from '../../helpers/inputProblem';
import { readNumber } from '../../helpers/optionValues';
import { ACTIONS } from '../actionProfiles';
import type { Operation } from '../operation';

/** Pages of sessions read at most (60 sessions a page): a bound on one item's requests. */
const SESSION_PAGES = { default: 10, min: 1, max: 50 } as const;

function recordPath(id: string): string {
	return `/communications/callRecords/${encodeURIComponent(id)}`;
}

/**
 * Graph's next-page links of a record's sessions are opaque (the reference page even shows a
 * `$metadata#…` form). Only their $skiptoken is taken, and the next page is asked for at the
 * documented list-sessions path: the token never leaves for a host the link might name.
 */
function skipToken(nextLink: unknown): string | undefined {
	if (typeof nextLink !== 'string') return undefined;
	const match = /[?&]\$skiptoken=([^&#]+)/i.exec(nextLink);
	return match ? decodeURIComponent(match[1]) : undefined;
}

/**
 * Get: GET /communications/callRecords/{id}?$expand=sessions($expand=segments), then the further
 * pages of sessions, as one report item.
 */
export const get: Operation = {
	description: updateDisplayOptions({ show: { resource: ['callRecord'], operation: ['get'] } }, [
		{
			displayName:
				'Graph writes the record after the call ends: usually within 15 minutes, sometimes up to 60, and keeps it 30 days. Until then Get answers 404: wait (e.g. a Wait node of 20 minutes) and retry.',
			name: 'callRecordNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Call Record ID',
			name: 'callRecordId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. e523d2ed-2966-4b6b-925b-754a88034cc5',
			description:
				"The call's callChainId (Call › Get shows it; the trigger's incoming-call item too). After a transfer the record may carry another ID.",
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				...requestOptionFields,
				{
					displayName: 'Max Session Pages',
					name: 'maxSessionPages',
					type: 'number',
					typeOptions: {
						minValue: SESSION_PAGES.min,
						maxValue: SESSION_PAGES.max,
						numberPrecision: 0,
					},
					default: 10,
					description:
						'How many pages of sessions (Graph: up to 60 a page) to read at most. If there are more, the item says allSessionsRead: false.',
				},
			],
		},
	]),
	usesCallsApi: false,
	async execute({ transport }, item, { request }) {
		const raw = item.param('callRecordId');
		if (typeof raw !== 'string' || raw.trim() === '')
			throw new InputProblem(
				'Call Record ID',
				"is empty. Give the call's callChainId, e.g. e523d2ed-2966-4b6b-925b-754a88034cc5.",
			);
		const id = validateGuid(raw.trim(), 'Call Record ID', 'a call record');
		const maxPages = readNumber(item.param('options.maxSessionPages', SESSION_PAGES.default), {
			field: 'Options › Max Session Pages',
			...SESSION_PAGES,
			whole: true,
		});
		const first = await transport.request(
			{ method: 'GET', path: `${recordPath(id)}?$expand=sessions($expand=segments)` },
			request,
			ACTIONS.getCallRecord,
			item.index,
		);
		if (!first.sent) return first.json;
		const record = first.json as Record<string, unknown>;
		const sessions: unknown[] = Array.isArray(record.sessions) ? [...record.sessions] : [];
		let token = skipToken(record['sessions@odata.nextLink']);
		let pages = 1;
		while (token !== undefined && pages < maxPages) {
			const page = await transport.request(
				{
					method: 'GET',
					path: `${recordPath(id)}/sessions?$expand=segments&$skiptoken=${encodeURIComponent(token)}`,
				},
				request,
				ACTIONS.getCallRecord,
				item.index,
			);
			pages += 1;
			const value = page.json.value;
			if (Array.isArray(value)) sessions.push(...(value as unknown[]));
			const next = skipToken(page.json['@odata.nextLink']);
			// A page that points at itself would loop until the bound; stop at once instead.
			token = next === token ? undefined : next;
		}
		const report = callRecordReport({
			record,
			sessions,
			allSessionsRead: token === undefined,
			pagesRead: pages,
		});
		const { responseMetadata } = first.json;
		return { ...report, ...(responseMetadata !== undefined ? { responseMetadata } : {}) };
	},
};
