/** Which operations an app can run, judged by the application roles its token carries. */

/** One row of the node's permission table: an operation and the roles any one of which lets it run. */
export interface OperationPermission {
	/** As the node's form names it, e.g. "Call › Hang Up". */
	operation: string;
	/** Any one of these application roles is enough. */
	roles: readonly string[];
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
	return table.map(({ operation, roles: needed }) => ({
		operation,
		permission: needed.join(' or '),
		ready: needed.some((role) => held.has(role.toLowerCase())),
	}));
}

/** "Call › Get, Call › Hang Up" or "none". */
export function operationList(rows: readonly OperationReadiness[]): string {
	return rows.length > 0 ? rows.map((row) => row.operation).join(', ') : 'none';
}
