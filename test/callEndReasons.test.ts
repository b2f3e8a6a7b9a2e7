/**
 * How a call ended, read from Graph's resultInfo (lib/notifications/callEndReasons.ts): every
 * row of the call-delete page's "Call end reason codes" (test/fixtures/call-end-reasons.json,
 * quoted with its page and date) gives that row's reason word for word; codes Graph does not
 * document keep Graph's message and are never called declined.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { readCallEnd } from '../lib/notifications/callEndReasons';

interface EndCodeTable {
	source: string;
	date: string;
	table: Array<{ code: number; subcode: number | string; reason: string }>;
	alsoDocumented: Array<{ code: number; subcode: number; message: string }>;
}

const documented = JSON.parse(
	readFileSync(join(__dirname, 'fixtures', 'call-end-reasons.json'), 'utf8'),
) as EndCodeTable;

/** "540000/560000" is one row for two subcodes. */
const subcodesOf = (subcode: number | string): number[] => String(subcode).split('/').map(Number);

describe("Call end reasons: Graph's documented codes in words", () => {
	it('the fixture quotes the whole call-delete table, with its page and date', () => {
		assert.match(documented.source, /learn\.microsoft\.com\/en-us\/graph\/api\/call-delete/);
		assert.match(documented.date, /^\d{4}-\d{2}-\d{2}/);
		assert.equal(documented.table.length, 29);
	});

	for (const row of documented.table) {
		for (const subcode of subcodesOf(row.subcode)) {
			it(`${row.code}/${subcode}: "${row.reason}"`, () => {
				const end = readCallEnd({ code: row.code, subcode, message: 'as Graph wrote it' });
				assert.equal(end.documented, true);
				assert.equal(end.reason, row.reason);
				assert.equal(end.message, 'as Graph wrote it', "Graph's own message is kept");
				assert.equal(end.text, `${row.reason} (code ${row.code}, subcode ${subcode})`);
			});
		}
	}

	it("the transfer page's 0/7015 is documented too", () => {
		const [transfer] = documented.alsoDocumented;
		const end = readCallEnd(transfer);
		assert.equal(end.documented, true);
		assert.equal(end.category, 'ended');
	});

	for (const [code, subcode, category] of [
		[408, 10057, 'unanswered'],
		[480, 10037, 'unanswered'],
		[480, 10076, 'unanswered'],
		[480, 10199, 'declined'],
		[200, 4521, 'hungUp'],
		[200, 18503, 'hungUp'],
		[200, 560000, 'hungUp'],
		[200, 5001, 'hungUp'],
		[410, 301005, 'ended'],
		[200, 7015, 'ended'],
	] as const) {
		it(`${code}/${subcode} means ${category}`, () => {
			assert.equal(readCallEnd({ code, subcode }).category, category);
		});
	}

	it('codes as strings (the call-delete example) and subCode (the transfer page) are read alike', () => {
		const asStrings = readCallEnd({
			code: '200',
			subcode: '5001',
			message: 'The conversation has ended.',
		});
		assert.equal(asStrings.code, 200);
		assert.equal(asStrings.subcode, 5001);
		assert.equal(asStrings.documented, true);
		assert.equal(readCallEnd({ code: 408, subCode: 10057 }).category, 'unanswered');
	});

	for (const code of [486, 603]) {
		it(`SIP's ${code} is not Graph's: not "declined", Graph's message passed on with the codes`, () => {
			const end = readCallEnd({ code, subcode: 0, message: 'The call was declined.' });
			assert.equal(end.category, 'ended');
			assert.equal(end.documented, false);
			assert.equal(end.reason, null);
			assert.equal(
				end.text,
				`Graph said: "The call was declined." (code ${code}, subcode 0; not in Graph's list of call end reasons)`,
			);
		});
	}

	it('no resultInfo: ended, saying Graph gave no reason; a termination reason is passed on', () => {
		assert.equal(readCallEnd(null).text, 'Graph gave no reason');
		assert.equal(readCallEnd(undefined).category, 'ended');
		assert.equal(
			readCallEnd(undefined, 'AppTransferred').text,
			'Graph gave the termination reason "AppTransferred"',
		);
	});
});
