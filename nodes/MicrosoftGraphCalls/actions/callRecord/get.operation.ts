import { type IDataObject } from 'n8n-workflow';

import { optionsField } from '../../descriptions/requestOptions';
import { callRecordReport } from '../../helpers/callRecordReport';
import { validateGuid } from '../../helpers/idFields';
import { InputProblem } from '../../helpers/inputProblem';
import { GraphApiError } from '../../transport/graphErrors';
import { readNumber } from '../../helpers/optionValues';
import { ACTION_ROLES, ACTIONS } from '../../engine/actionProfiles';
import type { Operation } from '../../engine/operation';

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
function skipToken(nextLink: unknown, malformed: (raw: string) => never): string | undefined {
	if (typeof nextLink !== 'string') return undefined;
	const match = /[?&]\$skiptoken=([^&#]+)/i.exec(nextLink);
	if (!match) return undefined;
	const token = decodedComponent(match[1]);
	return token ?? malformed(match[1]);
}

function decodedComponent(text: string): string | undefined {
	try {
		return decodeURIComponent(text);
	} catch {
		return undefined;
	}
}

/** The record with the further pages of its sessions (at most maxPages in all), as one report. */
async function withAllSessions(
	record: Record<string, unknown>,
	maxPages: number,
	nextPage: (skipToken: string) => Promise<IDataObject>,
	malformed: (raw: string) => never,
): Promise<IDataObject> {
	const sessions: unknown[] = Array.isArray(record.sessions) ? [...record.sessions] : [];
	let token = skipToken(record['sessions@odata.nextLink'], malformed);
	let pages = 1;
	while (token !== undefined && pages < maxPages) {
		const page = await nextPage(token);
		pages += 1;
		if (Array.isArray(page.value)) sessions.push(...(page.value as unknown[]));
		const next = skipToken(page['@odata.nextLink'], malformed);
		// A page that points at itself would loop until the bound; stop at once instead.
		token = next === token ? undefined : next;
	}
	const report = callRecordReport({
		record,
		sessions,
		allSessionsRead: token === undefined,
		pagesRead: pages,
	});
	const { responseMetadata } = record;
	return { ...report, ...(responseMetadata !== undefined ? { responseMetadata } : {}) };
}

/**
 * Get: GET /communications/callRecords/{id}?$expand=sessions($expand=segments), then the further
 * pages of sessions, as one report item.
 */
export const get: Operation = {
	value: 'get',
	name: 'Get',
	action: 'Get a call record',
	summary:
		'Who was on, when, how long, which media and the quality of each segment, after the call ended',
	permissions: [{ roles: ACTION_ROLES.getCallRecord.roles }],
	fields: [
		{
			displayName:
				'Graph writes the record usually within 15 minutes after the call ends (sometimes up to 60) and keeps it 30 days. Until then Get answers 404: wait (e.g. a Wait node of 20 minutes) and retry.',
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
		optionsField([
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
		]),
	],
	usesCallsApi: false,
	async execute({ functions, transport }, item, { request }) {
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
		const malformed = (raw: string): never => {
			throw new GraphApiError(
				functions.getNode(),
				`Graph's link to the next page of the call record's sessions carries a $skiptoken that is not valid URL encoding ("${raw.slice(0, 60)}").`,
				{
					code: 'malformedResponse',
					hint: 'Run the node again later; to read only what Graph gives at once, set Options › Max Session Pages to 1.',
				},
				item.index,
			);
		};
		return await withAllSessions(
			first.json,
			maxPages,
			async (token) => {
				const page = await transport.request(
					{
						method: 'GET',
						path: `${recordPath(id)}/sessions?$expand=segments&$skiptoken=${encodeURIComponent(token)}`,
					},
					request,
					ACTIONS.getCallRecord,
					item.index,
				);
				return page.json;
			},
			malformed,
		);
	},
};
