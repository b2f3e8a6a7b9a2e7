/** Which operations an app can run, judged by the application roles its token carries. */

/** One row of the node's permission table: an operation and the roles any one of which lets it run. */
export interface OperationPermission {
	/** As the node's form names it, e.g. "Call › Hang Up". */
	operation: string;
	/** Any one of these application roles is enough. */
	roles: readonly string[];
	/**
	 * Each of these is needed as well: an operation that sends several requests, e.g. Call and
	 * Wait for Keypress creates a call (any of `roles`) and subscribes to its tones.
	 */
	alsoNeeds?: readonly string[];
}

interface OperationReadiness {
	operation: string;
	permission: string;
	ready: boolean;
}

export function operationReadiness(
	roles: readonly string[],
	table: readonly OperationPermission[],
): OperationReadiness[] {
	const held = new Set(roles.map((role) => role.toLowerCase()));
	return table.map(({ operation, roles: needed, alsoNeeds = [] }) => {
		const anyOf = needed.join(' or ');
		return {
			operation,
			permission:
				alsoNeeds.length === 0
					? anyOf
					: [needed.length > 1 ? `(${anyOf})` : anyOf, ...alsoNeeds].join(' and '),
			ready:
				needed.some((role) => held.has(role.toLowerCase())) &&
				alsoNeeds.every((role) => held.has(role.toLowerCase())),
		};
	});
}

/** "Call › Get, Call › Hang Up" or "none". */
export function operationList(rows: readonly OperationReadiness[]): string {
	return rows.length > 0 ? rows.map((row) => row.operation).join(', ') : 'none';
}
