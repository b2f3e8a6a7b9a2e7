import { isGuid, isTenantId } from '../../../lib/entra/idShapes';
import { tryParseUrl } from '../../../lib/safeParse';
import { InputProblem, requireText } from './inputProblem';

/**
 * Characters a Graph resource ID may use here. Anything else (/, ?, #, %, \, whitespace, unicode
 * look-alikes) could change which Graph path is called, so it is refused rather than escaped.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:=-]*$/;
const MAX_ID_LENGTH = 256;

/** A Graph ID that goes into a URL path: refuse whatever could leave its path segment. */
export function validatePathId(raw: unknown, field: string, example: string): string {
	const value = requireText(raw, field);
	if (value.length === 0) throw new InputProblem(field, `is empty. Give the ID, e.g. ${example}.`);
	if (value.length > MAX_ID_LENGTH)
		throw new InputProblem(
			field,
			`is ${value.length} characters long; Graph IDs are at most ${MAX_ID_LENGTH}.`,
		);
	const bad = describeUnsafe(value);
	if (bad)
		throw new InputProblem(
			field,
			`contains ${bad}, which cannot be part of an ID. Give only the ID itself, e.g. ${example}.`,
		);
	return value;
}

function describeUnsafe(value: string): string | undefined {
	if (/\s/.test(value)) return 'whitespace';
	if (value.includes('..')) return '".."';
	if (/%2f|%5c|%2e/i.test(value)) return 'an encoded slash or dot';
	const match = /[^A-Za-z0-9._:=-]/.exec(value);
	if (match) return `"${match[0]}"`;
	if (!SAFE_ID.test(value)) return `"${value[0]}" at the start`;
	return undefined;
}

const CALL_URL_PATH = /\/communications\/calls\/([^/?#]+)\/?$/;

/** The call ID, or a pasted Graph URL `https://graph.microsoft.com/v1.0/communications/calls/{id}`. */
export function parseCallId(raw: unknown, field = 'Call ID'): string {
	const value = requireText(raw, field).trim();
	const example = '2f1a0b00-8e3c-4d5f-9a6b-7c8d9e0f1a2b';
	if (/^https?:\/\//i.test(value)) {
		const url = tryParseUrl(value);
		if (!url) {
			throw new InputProblem(
				field,
				'looks like a URL but cannot be parsed. Paste the ID alone or the whole Graph URL.',
			);
		}
		const match = CALL_URL_PATH.exec(url.pathname);
		if (!match || url.search || url.hash) {
			throw new InputProblem(
				field,
				'is a URL, but not one that ends in /communications/calls/{id}. Paste the ID alone or a Graph call URL.',
			);
		}
		return validatePathId(match[1], field, example);
	}
	return validatePathId(value, field, example);
}

/** E.164: a plus, then 8 to 15 digits, the first not zero. */
export const E164 = /^\+[1-9]\d{7,14}$/;

export function validatePhoneNumber(value: string, field: string): string {
	if (!E164.test(value)) {
		throw new InputProblem(
			field,
			`"${value}" is not an E.164 phone number: write a plus, the country code and the number, digits only, e.g. +12345678901.`,
		);
	}
	return value;
}

export function validateGuid(value: string, field: string, what: string): string {
	if (!isGuid(value))
		throw new InputProblem(
			field,
			`"${value}" is not a GUID; ${what} is identified by its Entra object ID, e.g. 278405a3-f568-4b3e-b684-009193463064.`,
		);
	return value;
}

export function validateTenantId(value: string, field: string): string {
	if (!isTenantId(value))
		throw new InputProblem(
			field,
			`"${value}" is neither a tenant GUID nor a domain such as contoso.onmicrosoft.com.`,
		);
	return value;
}
