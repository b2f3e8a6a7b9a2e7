import { validatePathId } from './idFields';

/** A call's path, each segment encoded (the IDs were validated before they got here). */
export function callPath(callId: string, ...rest: string[]): string {
	return [
		'/communications/calls',
		...[callId, ...rest].map((segment) => encodeURIComponent(segment)),
	].join('/');
}

/** Participant ID from the form, checked for use in a path. */
export function readParticipantId(raw: unknown): string {
	return validatePathId(raw, 'Participant ID', '0f1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8');
}
