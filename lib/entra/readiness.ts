/**
 * Which operations an app can run, judged by the application roles its token carries, as Graph's
 * reference pages state them. Three kinds of rows:
 * - most operations need any one of their roles (and every role of `alsoNeeds`);
 * - some pages say Graph checks no role of its own: "Permissions are checked when the call is
 *   created; no additional permission check is made" (call-get, call-delete, call-keepalive,
 *   call-playprompt, call-senddtmftones, call-cancelmediaprocessing), "The permission check happens
 *   when the application joins or tries to start the call" (participant-startholdmusic,
 *   participant-stopholdmusic). Whatever let the app into the call is enough (`rolesOfTheCall`);
 * - some need no role for some calls: "If a user wants to call a bot, the bot doesn't need any
 *   additional permissions in order to respond to the P2P call" (cloud-communications-calls), so
 *   Answer works without a role for peer-to-peer calls to the bot (`withoutRoles`); Reject's page
 *   names no permission at all (an empty `roles`).
 * An operation Graph allows is never called "not ready", nor one it refuses "ready".
 */

/** One row of the node's permission table: an operation and the roles any one of which lets it run. */
export interface OperationPermission {
	/** As the node's form names it, e.g. "Call › Hang Up". */
	operation: string;
	/** Any one of these application roles is enough. Empty: Graph names none. */
	roles: readonly string[];
	/**
	 * Each of these is needed as well: an operation that sends several requests, e.g. Call and
	 * Wait for Keypress creates a call (any of `roles`) and subscribes to its tones.
	 */
	alsoNeeds?: readonly string[];
	/** Graph checks no role for it: the roles that let the app create, join or answer the call do. */
	rolesOfTheCall?: boolean;
	/** The calls Graph lets the app act on without any of `roles`, e.g. "peer-to-peer calls to the bot". */
	withoutRoles?: string;
}

interface OperationReadiness {
	operation: string;
	permission: string;
	ready: boolean;
	/** Ready for these calls only (no role held for the others). */
	only?: string;
}

/** Whether some calls are refused to an app without any of the operation's roles. */
export function needsARole(row: OperationPermission): boolean {
	return row.roles.length > 0 && row.rolesOfTheCall !== true && row.withoutRoles === undefined;
}

function permissionText(row: OperationPermission): string {
	const anyOf = row.roles.join(' or ');
	if (row.roles.length === 0) return 'none (Graph names no permission: the app must own the call)';
	if (row.rolesOfTheCall)
		return 'none of its own (Graph checks the roles when the app creates, joins or answers the call)';
	if (row.withoutRoles !== undefined) return `${anyOf} (none for ${row.withoutRoles})`;
	const alsoNeeds = row.alsoNeeds ?? [];
	if (alsoNeeds.length === 0) return anyOf;
	return [row.roles.length > 1 ? `(${anyOf})` : anyOf, ...alsoNeeds].join(' and ');
}

export function operationReadiness(
	roles: readonly string[],
	table: readonly OperationPermission[],
): OperationReadiness[] {
	const held = new Set(roles.map((role) => role.toLowerCase()));
	const holds = (role: string): boolean => held.has(role.toLowerCase());
	return table.map((row) => {
		const permission = permissionText(row);
		if (!needsARole(row)) {
			const limited = row.withoutRoles !== undefined && !row.roles.some(holds);
			return {
				operation: row.operation,
				permission,
				ready: true,
				...(limited ? { only: row.withoutRoles } : {}),
			};
		}
		return {
			operation: row.operation,
			permission,
			ready: row.roles.some(holds) && (row.alsoNeeds ?? []).every(holds),
		};
	});
}

/** "Call › Get, Call › Hang Up" or "none"; rows ready for some calls only say which. */
export function operationList(rows: readonly OperationReadiness[]): string {
	return rows.length > 0
		? rows
				.map((row) => (row.only ? `${row.operation} (${row.only} only)` : row.operation))
				.join(', ')
		: 'none';
}
