/**
 * Call Record › Get against the simulator: Graph's documented record
 * (test/fixtures/call-records.json, from callrecords-callrecord-get.md) as a report item, paging of
 * sessions followed within the page bound, the 404 of a record not generated yet, the permission.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_APP_ROLES, defaultApp } from '../simulator';
import type { JsonObject } from '../simulator/json';
import { seedCallRecord, worldOf } from '../simulator/meetingsAndRecords';
import {
	assertRefusedBeforeSending,
	outputJson,
	startFixture,
	type Fixture,
} from './support/fixture';

const documented = JSON.parse(
	readFileSync(join(__dirname, 'fixtures', 'call-records.json'), 'utf8'),
) as {
	source: string;
	record: JsonObject;
};
const RECORD_ID = 'e523d2ed-2966-4b6b-925b-754a88034cc5';

/** The documented record as the simulator keeps it: its own sessions, no page links. */
function storedRecord(sessions = 1, id = RECORD_ID): JsonObject {
	const copy = JSON.parse(JSON.stringify(documented.record)) as JsonObject;
	delete copy['sessions@odata.nextLink'];
	delete copy['@odata.context'];
	copy.id = id;
	const session = (copy.sessions as JsonObject[])[0];
	copy.sessions = Array.from({ length: sessions }, (_, index) => ({
		...session,
		id: `${index}-${String(session.id)}`,
	}));
	return copy;
}

describe('Call Record › Get', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture({
			simulator: {
				apps: [{ ...defaultApp(), roles: [...DEFAULT_APP_ROLES, 'CallRecords.Read.All'] }],
			},
		});
	});
	after(async () => await fx.close());
	beforeEach(() => {
		fx.sim.reset();
		worldOf(fx.sim.origin).sessionsPageSize = 60;
		worldOf(fx.sim.origin).callRecords.clear();
	});
	const get = async (extra: INodeParameters = {}) =>
		await fx.run(
			{ resource: 'callRecord', operation: 'get', callRecordId: RECORD_ID, ...extra },
			undefined,
			false,
			2,
		);

	it("the documented record becomes a report: participants, start, end, duration, modalities, each segment's quality figures as Graph gives them", async () => {
		assert.match(documented.source, /callrecords-callrecord-get/);
		seedCallRecord(fx.sim.origin, storedRecord());
		const [report] = outputJson(await get());
		const [request] = fx.sim.graphRequests();
		assert.equal(
			request.path,
			`/v1.0/communications/callRecords/${RECORD_ID}?$expand=sessions($expand=segments)`,
		);
		assert.deepEqual(
			{
				id: report.id,
				type: report.type,
				modalities: report.modalities,
				startDateTime: report.startDateTime,
				endDateTime: report.endDateTime,
				durationSeconds: report.durationSeconds,
				sessionCount: report.sessionCount,
				allSessionsRead: report.allSessionsRead,
			},
			{
				id: RECORD_ID,
				type: 'peerToPeer',
				modalities: ['audio'],
				startDateTime: '2020-02-25T18:52:21.2169889Z',
				endDateTime: '2020-02-25T18:52:46.7640013Z',
				durationSeconds: 25.547,
				sessionCount: 1,
				allSessionsRead: true,
			},
		);
		assert.equal((report.organizer as IDataObject).displayName, 'Abbie Wilkins');
		assert.deepEqual(
			(report.participants as IDataObject[]).map((p) => [p.displayName, p.userPrincipalName]),
			[
				['Abbie Wilkins', 'abbie.wilkins@contoso.com'],
				['Owen Franklin', 'owen.franklin@contoso.com'],
			],
		);
		const session = (report.sessions as IDataObject[])[0];
		assert.equal((session.callee as IDataObject).feedbackRating, 'poor');
		assert.equal((session.caller as IDataObject).platform, 'android');
		const segment = (session.segments as IDataObject[])[0];
		const media = (segment.media as IDataObject[])[0];
		assert.deepEqual(media.callerNetwork, {
			ipAddress: '10.150.0.2',
			subnet: '10.150.0.0',
			linkSpeed: 54000000,
		});
		assert.deepEqual((media.streams as IDataObject[])[0], {
			streamId: '1504545584',
			streamDirection: 'callerToCallee',
			averageAudioDegradation: null,
			averageJitter: 'PT0.016S',
		});
		assert.deepEqual((report.streams as IDataObject[])[0], {
			sessionId: `0-${RECORD_ID}`,
			segmentId: RECORD_ID,
			label: 'main-audio',
			streamId: '1504545584',
			streamDirection: 'callerToCallee',
			averageAudioDegradation: null,
			averageJitter: 'PT0.016S',
		});
	});

	it('130 sessions, 60 a page: the next pages are read at …/sessions?$expand=segments&$skiptoken=…, all 130 in the item', async () => {
		seedCallRecord(fx.sim.origin, storedRecord(130));
		const [report] = outputJson(await get());
		assert.equal(report.sessionCount, 130);
		assert.equal(report.allSessionsRead, true);
		assert.equal(report.sessionPagesRead, 3);
		assert.deepEqual(
			fx.sim
				.graphRequests()
				.slice(1)
				.map((r) => r.path),
			[60, 120].map(
				(n) =>
					`/v1.0/communications/callRecords/${RECORD_ID}/sessions?$expand=segments&$skiptoken=${n}`,
			),
		);
		assert.equal(new Set((report.sessions as IDataObject[]).map((s) => s.id)).size, 130);
	});

	it('the page bound (Options › Max Session Pages = 2) stops the reading and says so', async () => {
		seedCallRecord(fx.sim.origin, storedRecord(130));
		const [report] = outputJson(await get({ options: { maxSessionPages: 2 } }));
		assert.equal(report.sessionCount, 120);
		assert.equal(report.allSessionsRead, false);
		assert.equal(fx.sim.graphRequests().length, 2);
	});

	it("Graph's documented answer, odd $metadata# next link included: only its $skiptoken is used, on the simulator's own host", async () => {
		fx.sim.faults.nextGraphFaults.push({
			kind: 'answer',
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(documented.record),
		});
		seedCallRecord(fx.sim.origin, storedRecord(1));
		const result = await get();
		// The simulator knows no skiptoken "abc" (Graph's placeholder) and says so: the request went to it.
		const second = fx.sim.graphRequests()[1];
		assert.equal(
			second.path,
			`/v1.0/communications/callRecords/${RECORD_ID}/sessions?$expand=segments&$skiptoken=abc`,
		);
		assert.ok(result.error);
	});

	it('not generated yet: 404 with the hint to wait (15 to 60 minutes, kept 30 days)', async () => {
		const result = await get();
		assert.ok(result.error);
		assert.match(result.error.message, /404/);
		assert.match(
			String((result.error as { description?: unknown }).description),
			/usually within 15 minutes, up to 60.*30 days/,
		);
	});

	it('without CallRecords.Read.All: 403 naming the permission', async () => {
		const other = await startFixture({
			simulator: { apps: [{ ...defaultApp(), roles: [...DEFAULT_APP_ROLES] }] },
		});
		try {
			seedCallRecord(other.sim.origin, storedRecord());
			const result = await other.run(
				{ resource: 'callRecord', operation: 'get', callRecordId: RECORD_ID },
				undefined,
				false,
				2,
			);
			assert.ok(result.error);
			assert.match(JSON.stringify(result.error), /CallRecords\.Read\.All/);
		} finally {
			await other.close();
		}
	});

	const refusals: Array<[INodeParameters, RegExp]> = [
		[{ callRecordId: '' }, /Call Record ID \(item 0\): is empty/],
		[{ callRecordId: 'abc' }, /Call Record ID \(item 0\): "abc" is not a GUID/],
		[
			{ options: { maxSessionPages: 500 } },
			/Options › Max Session Pages \(item 0\): must be between 1 and 50/,
		],
	];
	for (const [parameters, expect] of refusals) {
		it(`refuses before sending: ${expect.source.slice(0, 60)}`, async () => {
			await assertRefusedBeforeSending(
				fx,
				{ resource: 'callRecord', operation: 'get', callRecordId: RECORD_ID, ...parameters },
				expect,
			);
		});
	}
});
