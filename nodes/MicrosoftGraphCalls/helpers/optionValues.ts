import { InputProblem, wrongType } from './inputProblem';

/** An option that was never set, or was cleared in the form. */
export function isUnset(raw: unknown): raw is undefined | null | '' {
	return raw === undefined || raw === null || raw === '';
}

interface NumberRule {
	/** The field as the form shows it, e.g. "Options › Max Retries". */
	field: string;
	default: number;
	min: number;
	max: number;
	/** Whether only whole numbers are allowed (counts, seconds of the transport's limits). */
	whole?: boolean;
}

/** The one reader of numeric options: a number in range, whole where the rule says so. */
export function readNumber(raw: unknown, rule: NumberRule): number {
	if (isUnset(raw)) return rule.default;
	if (typeof raw !== 'number' || !Number.isFinite(raw)) {
		throw wrongType(rule.field, 'a number', raw);
	}
	if (rule.whole && !Number.isInteger(raw)) {
		throw new InputProblem(rule.field, `must be a whole number, got ${raw}.`);
	}
	if (raw < rule.min || raw > rule.max) {
		throw new InputProblem(rule.field, `must be between ${rule.min} and ${rule.max}, got ${raw}.`);
	}
	return raw;
}

export function readFlag(raw: unknown, field: string): boolean {
	if (isUnset(raw)) return false;
	if (typeof raw !== 'boolean') {
		throw wrongType(field, 'true or false', raw);
	}
	return raw;
}

/** An Additional Fields collection as an object (the form always sends one; expressions may not). */
export function readAdditionalFields(raw: unknown): Record<string, unknown> {
	if (isUnset(raw)) return {};
	if (typeof raw !== 'object' || Array.isArray(raw))
		throw wrongType('Additional Fields', 'a collection', raw);
	return raw as Record<string, unknown>;
}
