/**
 * Resources and the form around their operations, derived from the operation objects: a
 * resource lists its operations once (`defineResource`), and everything n8n needs that repeats
 * them is built here: the Operation dropdown, each operation's fields shown only for it, the
 * resource's README notice, the canvas subtitle, and the lookup the router dispatches with.
 *
 * n8n's lint checks such lists only where they are literals; test/catalogue.test.ts checks the
 * built ones against the same rules (sorted names, n8n's action style, unique values).
 */
import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { OperationPermission } from '../../../lib/entra/readiness';
import type { Operation } from './operation';
import { README } from '../descriptions/common';

export interface Resource {
	/** The Resource dropdown's value: `callParticipant`. */
	value: string;
	/** Its name: `Call Participant`. */
	name: string;
	/** The README section on it, after the `#`. */
	readmeSection: string;
	/** The operation a new node shows first. */
	defaultOperation: string;
	/** Every operation, once. The dropdown sorts them by name. */
	operations: readonly Operation[];
}

export function defineResource(resource: Resource): Resource {
	const values = resource.operations.map((operation) => operation.value);
	const twice = values.find((value, index) => values.indexOf(value) !== index);
	if (twice !== undefined)
		throw new Error(`Resource ${resource.value} lists the operation ${twice} twice.`);
	if (!values.includes(resource.defaultOperation))
		throw new Error(
			`Resource ${resource.value}'s default operation ${resource.defaultOperation} is not one of its operations.`,
		);
	return resource;
}

/** The operation a form's resource and operation values name, if any. */
export function operationOf(
	resources: readonly Resource[],
	resourceValue: string,
	operationValue: string,
): Operation | undefined {
	return resources
		.find((resource) => resource.value === resourceValue)
		?.operations.find((operation) => operation.value === operationValue);
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** The Resource dropdown. */
function resourceField(resources: readonly Resource[], defaultResource: string): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [...resources].sort(byName).map(({ name, value }) => ({ name, value })),
		// The rule reads only literals; this default is one of the options above by construction
		// (index.ts), and test/catalogue.test.ts checks it as the rule would.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options
		default: defaultResource,
	};
}

/** A resource's part of the form: its README notice, its Operation dropdown, its operations' fields. */
function resourceFields(resource: Resource): INodeProperties[] {
	const show = { resource: [resource.value] };
	return [
		{
			displayName: `${resource.name} operations, the permission each needs and what it returns: <a href="${README}#${resource.readmeSection}" target="_blank">README › ${resource.name}</a>`,
			name: `${resource.value}DocsNotice`,
			type: 'notice',
			default: '',
			displayOptions: { show },
		},
		// The rule reads only literals: defineResource checks that the default is one of the
		// operations, and test/catalogue.test.ts checks the built dropdown as the rule would.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show },
			options: [...resource.operations].sort(byName).map((operation) => ({
				name: operation.name,
				value: operation.value,
				action: operation.action,
				description: operation.summary,
			})),
			default: resource.defaultOperation,
		},
		...resource.operations.flatMap((operation) =>
			updateDisplayOptions(
				{ show: { resource: [resource.value], operation: [operation.value] } },
				operation.fields,
			),
		),
	];
}

/** The whole form: the Resource dropdown, then each resource's part. */
export function formFields(
	resources: readonly Resource[],
	defaultResource: string,
): INodeProperties[] {
	return [resourceField(resources, defaultResource), ...resources.flatMap(resourceFields)];
}

/**
 * "Invite · Call Participant" on the canvas, in the form's own words: two literal maps, keyed
 * by resource/operation and by resource, which n8n's expression language reads without help.
 */
export function subtitleOf(resources: readonly Resource[]): string {
	const operations = Object.fromEntries(
		resources.flatMap((resource) =>
			resource.operations.map((op) => [`${resource.value}/${op.value}`, op.name]),
		),
	);
	const names = Object.fromEntries(resources.map((resource) => [resource.value, resource.name]));
	return `={{ (${JSON.stringify(operations)})[$parameter["resource"] + "/" + $parameter["operation"]] + " · " + (${JSON.stringify(names)})[$parameter["resource"]] }}`;
}

/**
 * The node's permission table: every operation (as the form names it, "Call › Hang Up", with its
 * variant in brackets) and the roles it needs, from the operations' own rows.
 */
export function permissionTable(resources: readonly Resource[]): OperationPermission[] {
	return resources.flatMap((resource) =>
		resource.operations.flatMap((operation) =>
			operation.permissions === 'sends no Graph request'
				? []
				: operation.permissions.map(({ variant, ...need }) => ({
						operation: `${resource.name} › ${operation.name}${variant ? ` (${variant})` : ''}`,
						...need,
					})),
		),
	);
}
