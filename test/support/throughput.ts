/**
 * Helpers for tests (and the benchmark) that invite many distinct people at once and then check
 * that every item ended exactly once and nobody was invited twice.
 */
import assert from 'node:assert/strict';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RunResult } from '../../harness/runNode';
import { DEFAULT_CALL_ID, type GraphSimulator } from '../../simulator';
import { inviteParameters, items } from './fixture';

/** A distinct, valid Entra object ID per item number. */
export function userId(n: number): string {
	return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Invite parameters that take each item's participant from the item ($json.userId). */
export function manyInviteParameters(options: IDataObject = {}): INodeParameters {
	return inviteParameters([{ type: 'user', id: '={{ $json.userId }}' }], {
		options: options as INodeParameters,
	});
}

export function userItems(count: number): INodeExecutionData[] {
	return items(count, (n) => ({ userId: userId(n) }));
}

export interface ItemOutcome {
	itemIndex: number;
	ok: boolean;
	json: IDataObject;
	error?: { message?: string; code?: string; status?: number; description?: string };
}

/** How often the simulator recorded an invitation per identity key (`user:<id>`). */
export function invitationCounts(sim: GraphSimulator): Map<string, number> {
	const counts = new Map<string, number>();
	for (const invitation of sim.invitations) {
		if (invitation.callId !== DEFAULT_CALL_ID) continue;
		const key = `${invitation.identityKind}:${invitation.identityId}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

/**
 * The checks every fault test makes (run with continue-on-fail):
 * - one output item per input item, in input order, each paired with its own item;
 * - each is either the invite operation for that very person or an error item;
 * - the simulator invited nobody twice, and everybody whose item succeeded exactly once.
 */
export function assertEveryItemEndedOnce(
	result: RunResult,
	sim: GraphSimulator,
	count: number,
): ItemOutcome[] {
	assert.equal(
		result.error,
		undefined,
		`the execution itself must not fail: ${result.error?.message}`,
	);
	const output = result.output?.[0] ?? [];
	assert.equal(output.length, count, 'one output item per input item');
	const counts = invitationCounts(sim);
	for (const [key, times] of counts) assert.ok(times <= 1, `${key} was invited ${times} times`);
	return output.map((item, itemIndex) => {
		assert.deepEqual(
			item.pairedItem,
			{ item: itemIndex },
			`output ${itemIndex} is paired with its own item`,
		);
		const json = item.json;
		if (json.error) {
			const error = json.error as ItemOutcome['error'];
			assert.ok(error?.message, `item ${itemIndex}: the error says what happened`);
			return { itemIndex, ok: false, json, error };
		}
		assert.equal(
			json['@odata.type'],
			'#microsoft.graph.inviteParticipantsOperation',
			`item ${itemIndex} is an invite operation`,
		);
		const participants = json.participants as Array<{ identity?: { user?: { id?: string } } }>;
		assert.equal(
			participants[0]?.identity?.user?.id,
			userId(itemIndex),
			`item ${itemIndex} carries its own participant`,
		);
		assert.equal(
			counts.get(`user:${userId(itemIndex)}`),
			1,
			`item ${itemIndex} succeeded, so its person was invited exactly once`,
		);
		return { itemIndex, ok: true, json };
	});
}

export function failed(outcomes: ItemOutcome[]): ItemOutcome[] {
	return outcomes.filter((o) => !o.ok);
}
