import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { CONCURRENCY, RETRY_LIMITS, WAIT_LIMITS } from '../nodes/MicrosoftGraphCalls/limits.ts';
import {
	assertRefusedBeforeSending,
	inviteParameters,
	outputJson,
	startFixture,
	type Fixture,
} from './support/fixture';

const USER = { type: 'user', id: '278405a3-f568-4b3e-b684-009193463064' };

/** Every option field of every operation, by name (the same field may appear in several). */
function optionFields(): Map<string, INodeProperties[]> {
	const found = new Map<string, INodeProperties[]>();
	for (const property of new MicrosoftGraphCalls().description.properties) {
		if (property.name !== 'options' || !Array.isArray(property.options)) continue;
		for (const option of property.options as INodeProperties[]) {
			found.set(option.name, [...(found.get(option.name) ?? []), option]);
		}
	}
	return found;
}

describe('Options: the form and the runtime share one set of limits', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	it('every numeric option shows the default and bounds the runtime enforces', () => {
		const fields = optionFields();
		const expected: Record<string, { default: number; min: number; max: number }> = {
			maxRetries: RETRY_LIMITS.maxRetries,
			maxRetryWaitSeconds: RETRY_LIMITS.maxRetryWaitSeconds,
			timeoutSeconds: RETRY_LIMITS.timeoutSeconds,
			concurrency: CONCURRENCY,
			waitTimeoutSeconds: WAIT_LIMITS.timeoutSeconds,
			pollIntervalSeconds: WAIT_LIMITS.pollIntervalSeconds,
		};
		for (const [name, limits] of Object.entries(expected)) {
			const shown = fields.get(name);
			assert.ok(shown && shown.length > 0, `${name} is offered somewhere`);
			for (const field of shown) {
				assert.equal(field.default, limits.default, `${name}: default`);
				assert.equal(field.typeOptions?.minValue, limits.min, `${name}: minimum`);
				assert.equal(field.typeOptions?.maxValue, limits.max, `${name}: maximum`);
			}
		}
	});

	const fractions: Array<[string, INodeParameters, RegExp]> = [
		[
			'Max Retries',
			{ maxRetries: 1.5 },
			/^Options › Max Retries \(item 0\): must be a whole number, got 1\.5/,
		],
		[
			'Max Total Retry Wait',
			{ maxRetryWaitSeconds: 2.5 },
			/^Options › Max Total Retry Wait \(Seconds\) \(item 0\): must be a whole number/,
		],
		[
			'Timeout',
			{ timeoutSeconds: 30.2 },
			/^Options › Timeout \(Seconds\) \(item 0\): must be a whole number/,
		],
		[
			'Concurrency',
			{ concurrency: 2.5 },
			/^Options › Concurrency \(item 0\): must be a whole number/,
		],
	];
	for (const [name, options, expect] of fractions) {
		it(`a fraction in ${name} is refused before anything is sent`, async () => {
			await assertRefusedBeforeSending(fx, inviteParameters([USER], { options }), expect);
		});
	}

	it('the wait options take fractions (they are seconds of a wait, not counts)', async () => {
		fx.sim.reset();
		const result = await fx.run(
			inviteParameters([USER], {
				options: { waitForOutcome: true, waitTimeoutSeconds: 0.5, pollIntervalSeconds: 0.1 },
			}),
		);
		const outcome = outputJson(result)[0]?.outcome as { timeoutSeconds?: number } | undefined;
		assert.equal(outcome?.timeoutSeconds, 0.5);
	});
});
