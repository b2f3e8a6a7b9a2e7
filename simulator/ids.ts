/** Identifier helpers: fresh GUIDs for request/operation ids, stable GUIDs for directory objects. */
import { createHash, randomUUID } from 'node:crypto';

export function newId(): string {
	return randomUUID();
}

/**
 * A GUID derived from a seed, so the same app in the same tenant always gets the same object id
 * (as a real service principal keeps its oid across tokens).
 */
export function stableId(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	// Shape it as a version-4/variant-1 GUID so strict parsers accept it.
	const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
	return GUID.test(value);
}
