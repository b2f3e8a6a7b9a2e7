import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationPermission } from '../../../lib/entra/readiness';
import type { EntraAppSettings } from '../../../lib/entra/settings';
import type { NodeOptions } from '../helpers/nodeOptions';
import type { GraphTransport } from '../transport/graphTransport';

/** One row of the permission table, for an operation (its name is added by the table). */
export interface PermissionNeed extends Omit<OperationPermission, 'operation'> {
	/** Shown in brackets after the operation's name: Call › Create (Peer-to-Peer). */
	variant?: string;
}

/** What every item of one execution shares: n8n's functions, the checked credential, one transport. */
export interface OperationContext {
	functions: IExecuteFunctions;
	settings: EntraAppSettings;
	transport: GraphTransport;
	/** The node's permission table (engine/resource.ts), for App › Check Setup. */
	permissionTable: readonly OperationPermission[];
	/**
	 * Runs `load` once per key for the whole execution (items share the promise), e.g. reading a
	 * call's roster once however many items invite into that call.
	 */
	once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** A per-execution memo for OperationContext.once. */
export function executionMemo(): OperationContext['once'] {
	const memo = new Map<string, Promise<unknown>>();
	return async <T>(key: string, load: () => Promise<T>): Promise<T> => {
		let entry = memo.get(key);
		if (!entry) {
			entry = load();
			memo.set(key, entry);
		}
		return (await entry) as T;
	};
}

/** One input item, as an operation sees it: its index and its parameters. */
export interface ItemInput {
	index: number;
	/** The item's value of a form field (expressions resolved), or the fallback. */
	param(name: string, fallback?: unknown): unknown;
}

/** An output item that carries binary data too (a downloaded recording); the router keeps both. */
export class BinaryResult {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/**
 * The shape of every operation: its entry in the Operation dropdown, its own form fields, and
 * `execute`, which returns the output JSON for one item (a list for one-to-many operations). The
 * resource it is listed in shows the fields only for it (engine/resource.ts); the router does the
 * rest: the cloud check, the Options collection, pairedItem, continue-on-fail and error items.
 */
export interface Operation {
	/** The dropdown's value, what workflows store: `hangUp`. Unique within its resource. */
	value: string;
	/** The dropdown's name, in Title Case as n8n writes them: `Hang Up`. */
	name: string;
	/** n8n's action text (the node picker's and an AI agent's words): `Hang up a call`. */
	action: string;
	/** The dropdown's description: what it does, without a full stop. */
	summary: string;
	/** The operation's fields, without displayOptions for resource and operation. */
	fields: INodeProperties[];
	/**
	 * Its rows of the node's permission table (the credential test, App › Check Setup): the roles
	 * Graph's reference pages name for what it sends, one row per variant where they differ.
	 */
	permissions: readonly PermissionNeed[] | 'sends no Graph request';
	/** Whether the operation needs Graph's cloud communications (calls) API. */
	usesCallsApi: boolean;
	/** Whether the items are independent, so they may be sent concurrently and in JSON batches. */
	concurrentItems?: boolean;
	execute(
		context: OperationContext,
		item: ItemInput,
		options: NodeOptions,
	): Promise<IDataObject | IDataObject[] | BinaryResult>;
}

export function itemInput(functions: IExecuteFunctions, index: number): ItemInput {
	return {
		index,
		param: (name, fallback = '') => functions.getNodeParameter(name, index, fallback),
	};
}
