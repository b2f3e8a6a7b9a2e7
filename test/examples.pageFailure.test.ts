/**
 * examples/page-and-acknowledge.json's failure path, on the file: a page node that fails sends
 * its item to its error output (On Error › Continue (using error output)), so a failed first page
 * still pages the backup and a failed backup page still reaches the chat. The Summarize node's
 * JavaScript runs here with the items each way brings (real n8n runs the whole example in
 * test/e2e/examples, and n8n's own rule for error outputs is in n8n-core's
 * WorkflowExecute.handleNodeErrorOutput: an item whose json is only `error` goes there, merged
 * with the input item it came from).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

interface Node {
	name: string;
	type: string;
	onError?: string;
	parameters: Record<string, unknown>;
}
interface Workflow {
	nodes: Node[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const example = JSON.parse(
	readFileSync(join(__dirname, '..', 'examples', 'page-and-acknowledge.json'), 'utf8'),
) as Workflow;
const node = (name: string): Node => {
	const found = example.nodes.find((n) => n.name === name);
	assert.ok(found, `no node "${name}"`);
	return found;
};
const targets = (from: string, output: number): string[] =>
	(example.connections[from]?.main[output] ?? []).map((c) => c.node);

const WHO = {
	alert: 'Checkout is down',
	onCall: { name: 'On-call engineer', phone: '+14255550101' },
	backup: { name: 'Backup engineer', phone: '+14255550102' },
};

/** The Summarize node's code as n8n's Code node runs it ("Run Once for All Items"). */
function summarize(input: Record<string, unknown>, backupPaged: boolean): Record<string, unknown> {
	const code = String(node('Summarize the outcome').parameters.jsCode);
	const $ = (name: string) => {
		if (name === 'Who to page') return { first: () => ({ json: WHO }), isExecuted: true };
		if (name === 'Page the backup') return { isExecuted: backupPaged };
		throw new Error(`the code reads the node "${name}"`);
	};
	const $input = { first: () => ({ json: input }) };
	// eslint-disable-next-line @typescript-eslint/no-implied-eval
	const out = new Function('$', '$input', code)($, $input) as Array<{
		json: Record<string, unknown>;
	}>;
	assert.equal(out.length, 1);
	return out[0]?.json ?? {};
}

/** What n8n's error output carries: the input item's fields, and the node's error beside them. */
const errorItem = (input: Record<string, unknown>, message: string) => ({
	...input,
	error: { message, description: 'Fix the field named above and run the node again.' },
});

describe('examples/page-and-acknowledge.json: the failure path', () => {
	it('both page nodes continue through their error output: the first to the backup, the backup to Summarize', () => {
		for (const name of ['Page the on-call engineer', 'Page the backup'])
			assert.equal(node(name).onError, 'continueErrorOutput', name);
		assert.deepEqual(targets('Page the on-call engineer', 0), ['Acknowledged?']);
		assert.deepEqual(targets('Page the on-call engineer', 1), ['Page the backup']);
		assert.deepEqual(targets('Acknowledged?', 1), ['Page the backup']);
		assert.deepEqual(targets('Page the backup', 0), ['Summarize the outcome']);
		assert.deepEqual(targets('Page the backup', 1), ['Summarize the outcome']);
		assert.deepEqual(targets('Summarize the outcome', 0), [
			'Post the outcome (Slack or Teams webhook)',
		]);
	});

	it('the on-call engineer pressed 1: acknowledged, no error', () => {
		const posted = summarize(
			{ outcome: 'pressed', key: '1', callId: 'call-1', durationSeconds: 7 },
			false,
		);
		assert.equal(posted.acknowledged, true);
		assert.equal(posted.acknowledgedBy, 'On-call engineer');
		assert.equal(posted.error, null);
		assert.match(
			String(posted.text),
			/acknowledged by On-call engineer \(\+14255550101\) after 7 s/,
		);
	});

	it('the first page failed and the backup pressed 1: acknowledged by the backup', () => {
		const posted = summarize(
			{ outcome: 'pressed', key: '1', callId: 'call-2', durationSeconds: 5 },
			true,
		);
		assert.equal(posted.acknowledgedBy, 'Backup engineer');
		assert.equal(posted.backupPaged, true);
	});

	it('the backup page failed too: the error item still becomes a chat post that says so', () => {
		const posted = summarize(
			errorItem(
				errorItem(WHO, 'Resource Account ID (item 0): is empty.'),
				'Graph refused the call (403).',
			),
			true,
		);
		assert.equal(posted.acknowledged, false);
		assert.equal(posted.outcome, 'failed');
		assert.equal(posted.error, 'Graph refused the call (403).');
		assert.match(String(posted.text), /^Checkout is down: NOBODY acknowledged\./);
		assert.match(String(posted.text), /"failed" \(Graph refused the call \(403\)\.\)/);
		assert.equal(posted.callId, null);
	});

	it('the wait ended first (n8n passes the input item on): noAnswerInTime', () => {
		const posted = summarize({ outcome: 'unanswered', callId: 'call-1' }, true);
		assert.equal(posted.outcome, 'unanswered');
		const passedOn = summarize({ ...WHO }, true);
		assert.equal(passedOn.outcome, 'noAnswerInTime');
		assert.equal(passedOn.acknowledged, false);
	});
});
