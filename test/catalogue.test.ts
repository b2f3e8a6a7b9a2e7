/**
 * The node's form, subtitle and dispatch are built from one list of resources and their
 * operations (nodes/MicrosoftGraphCalls/actions/index.ts, engine/resource.ts). n8n's lint checks
 * such lists only where they are literals, so this test checks the built ones by the same rules;
 * and it adds an operation by following docs/architecture.md's recipe, then finds it everywhere
 * the recipe promises (dropdown, fields, subtitle, permission table, the router) and runs it
 * against the simulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { INodeProperties, INodeType } from 'n8n-workflow';

import { DEFAULT_RESOURCE, RESOURCES } from '../nodes/MicrosoftGraphCalls/actions';
import { MicrosoftGraphCalls } from '../nodes/MicrosoftGraphCalls/MicrosoftGraphCalls.node.ts';
import { ACTION_ROLES, ACTIONS } from '../nodes/MicrosoftGraphCalls/engine/actionProfiles';
import type { Operation } from '../nodes/MicrosoftGraphCalls/engine/operation';
import {
	defineResource,
	formFields,
	permissionTable,
	subtitleOf,
	type Resource,
} from '../nodes/MicrosoftGraphCalls/engine/resource';
import { router } from '../nodes/MicrosoftGraphCalls/engine/router';
import { callPath } from '../nodes/MicrosoftGraphCalls/helpers/graphPaths';
import { parseCallId } from '../nodes/MicrosoftGraphCalls/helpers/idFields';
import { callIdField } from '../nodes/MicrosoftGraphCalls/descriptions/common';
import { runNode } from '../harness/runNode';
import { DEFAULT_CALL_ID } from '../simulator';
import { startFixture, type Fixture } from './support/fixture';

type Dropdown = Omit<INodeProperties, 'options'> & { options: Array<Record<string, unknown>> };

const dropdowns = (properties: INodeProperties[], name: string): Dropdown[] =>
	properties
		.filter((p) => p.name === name && p.type === 'options')
		.map((p) => p as unknown as Dropdown);

/** n8n's action style: a sentence in sentence case, no full stop (its operation-option rules). */
const ACTION_STYLE = /^[A-Z][a-z]+( [A-Za-z0-9-]+)*$/;

describe('The catalogue of operations', () => {
	const properties = new MicrosoftGraphCalls().description.properties;

	it("each resource's Operation dropdown follows n8n's rules for literal options: sorted by name, values unique, actions in n8n's style, a default among them", () => {
		const operationDropdowns = dropdowns(properties, 'operation');
		assert.equal(operationDropdowns.length, RESOURCES.length);
		for (const dropdown of operationDropdowns) {
			const names = dropdown.options.map((o) => String(o.name));
			assert.deepEqual(
				names,
				[...names].sort((a, b) => a.localeCompare(b)),
				'sorted by name',
			);
			const values = dropdown.options.map((o) => String(o.value));
			assert.equal(new Set(values).size, values.length, 'values unique');
			assert.ok(values.includes(String(dropdown.default)), `default ${String(dropdown.default)}`);
			for (const option of dropdown.options) {
				assert.match(String(option.action), ACTION_STYLE, String(option.value));
				assert.doesNotMatch(
					String(option.description),
					/\.$/,
					`${String(option.value)}: no full stop`,
				);
				assert.match(String(option.name), /^[A-Z]/, 'Title Case');
			}
		}
		const [resource] = dropdowns(properties, 'resource');
		const names = resource?.options.map((o) => String(o.name)) ?? [];
		assert.deepEqual(
			names,
			[...names].sort((a, b) => a.localeCompare(b)),
		);
		assert.equal(resource?.default, DEFAULT_RESOURCE);
	});

	it('every operation that sends to Graph is in the permission table, every one in the subtitle, and its fields show only for it', () => {
		const subtitle = new MicrosoftGraphCalls().description.subtitle ?? '';
		const table = permissionTable(RESOURCES);
		for (const resource of RESOURCES) {
			for (const operation of resource.operations) {
				const label = `${resource.name} › ${operation.name}`;
				const rows = table.filter(
					(row) => row.operation === label || row.operation.startsWith(`${label} (`),
				);
				if (operation.permissions === 'sends no Graph request') assert.equal(rows.length, 0);
				else assert.equal(rows.length, operation.permissions.length, `${label} in the table`);
				assert.ok(
					subtitle.includes(`"${resource.value}/${operation.value}":"${operation.name}"`),
					label,
				);
				for (const field of operation.fields) {
					const shown = properties.find(
						(p) =>
							p.name === field.name &&
							p.displayName === field.displayName &&
							p.displayOptions?.show?.operation?.includes(operation.value) &&
							p.displayOptions.show.resource?.includes(resource.value),
					);
					assert.ok(shown, `${label}: ${field.name} shown for it`);
				}
			}
		}
	});

	it('a resource that lists an operation twice, or defaults to one it lacks, is refused when the node loads', () => {
		const [first] = RESOURCES[1]?.operations ?? [];
		assert.ok(first);
		assert.throws(
			() =>
				defineResource({
					value: 'x',
					name: 'X',
					readmeSection: 'x',
					defaultOperation: first.value,
					operations: [first, first],
				}),
			/lists the operation .* twice/,
		);
		assert.throws(
			() =>
				defineResource({
					value: 'x',
					name: 'X',
					readmeSection: 'x',
					defaultOperation: 'nope',
					operations: [first],
				}),
			/default operation nope is not one of its operations/,
		);
	});
});

describe('Adding an operation by the recipe (docs/architecture.md)', () => {
	let fx: Fixture;
	before(async () => {
		fx = await startFixture();
	});
	after(async () => await fx.close());

	// Step 1: the Graph request it sends is an existing action (get call), so no new row in
	// ACTION_ROLES. Step 2: the operation file, here inline.
	const ping: Operation = {
		value: 'ping',
		name: 'Ping',
		action: 'Ping a call',
		summary: 'Read the call once, to see that it is still there',
		fields: [{ ...callIdField }],
		permissions: [{ roles: ACTION_ROLES.getCall.roles, rolesOfTheCall: true }],
		usesCallsApi: true,
		async execute({ transport }, item, { request }) {
			const callId = parseCallId(item.param('callId'));
			const result = await transport.request(
				{ method: 'GET', path: callPath(callId) },
				request,
				ACTIONS.getCall,
				item.index,
			);
			return { pinged: callId, state: result.json.state ?? null };
		},
	};
	// Step 3: one row in the resource's list.
	const call = RESOURCES.find((r) => r.value === 'call') as Resource;
	const withPing: Resource[] = RESOURCES.map((r) =>
		r === call ? defineResource({ ...call, operations: [...call.operations, ping] }) : r,
	);

	it('the dropdown lists it, its field shows only for it, the subtitle names it, and the router runs it against the simulator', async () => {
		const properties = formFields(withPing, DEFAULT_RESOURCE);
		const callDropdown = dropdowns(properties, 'operation').find((d) =>
			d.displayOptions?.show?.resource?.includes('call'),
		);
		assert.ok(callDropdown?.options.some((o) => o.value === 'ping' && o.action === 'Ping a call'));
		const field = properties.filter((p) => p.displayOptions?.show?.operation?.includes('ping'));
		assert.deepEqual(
			field.map((p) => [p.name, p.displayOptions?.show?.resource]),
			[['callId', ['call']]],
		);
		assert.match(subtitleOf(withPing), /"call\/ping":"Ping"/);
		assert.deepEqual(
			permissionTable(withPing).find((row) => row.operation === 'Call › Ping'),
			{ operation: 'Call › Ping', roles: ACTION_ROLES.getCall.roles, rolesOfTheCall: true },
		);

		// The node as the node file builds it, from this list instead of RESOURCES.
		const shipped = new MicrosoftGraphCalls();
		const nodeType: INodeType = {
			description: { ...shipped.description, subtitle: subtitleOf(withPing), properties },
			execute() {
				return router.call(this, withPing);
			},
		};
		const run = await runNode({
			parameters: { resource: 'call', operation: 'ping', callId: DEFAULT_CALL_ID },
			credentials: fx.credentials,
			typeVersion: 2,
			nodeType,
		});
		assert.ifError(run.error);
		assert.deepEqual(run.output?.[0]?.[0]?.json, { pinged: DEFAULT_CALL_ID, state: 'established' });
		assert.deepEqual(
			fx.sim.graphRequests().map((r) => `${r.method} ${r.path}`),
			[`GET /v1.0/communications/calls/${DEFAULT_CALL_ID}`],
		);
	});
});
