/**
 * The people of the simulated tenant: the Teams users and phone numbers the examples, the docs
 * and dev mode's sample workflows call. The softphone (softphone.ts) lists them and rings for
 * them; a call to anyone else still rings there, under the identity Graph was given.
 *
 * The names are those of Microsoft's demo tenants (Alex Wilber, Megan Bowen…); the IDs are the
 * ones the examples and the README already use, so a call from an example lands on a named row.
 */

/** One person: a Teams user (Entra object ID) or a phone number (E.164). */
export interface Person {
	/** `user:<object ID>` or `phone:<E.164>`: the simulator's identity key (RosterParticipant). */
	key: string;
	kind: 'user' | 'phone';
	id: string;
	displayName: string;
	/** What the examples use this person for, shown under the name. */
	note?: string;
}

const user = (id: string, displayName: string, note?: string): Person => ({
	key: `user:${id}`,
	kind: 'user',
	id,
	displayName,
	...(note === undefined ? {} : { note }),
});
const phone = (id: string, displayName: string, note?: string): Person => ({
	key: `phone:${id}`,
	kind: 'phone',
	id,
	displayName,
	...(note === undefined ? {} : { note }),
});

/** The default caller of incoming calls (incomingCalls.ts TEST_CALLER). */
export const TEST_CALLER_ID = '8a34a46b-88d8-4a83-8a2e-6e2b5e9a4d11';

export const DEFAULT_PEOPLE: readonly Person[] = [
	phone('+14255550101', 'On-call engineer', 'paged first by examples/page-and-acknowledge.json'),
	phone('+14255550102', 'Backup engineer', 'paged when the on-call engineer does not press 1'),
	phone('+14255550123', 'Duty manager', 'invited by examples/incident-bridge.json'),
	user(
		'278405a3-f568-4b3e-b684-009193463064',
		'Alex Wilber',
		'support on weekdays in examples/incoming-call-routing.json',
	),
	user('5d2b4c61-7f1e-4a9b-8c3d-2e6f0a9b1c47', 'Megan Bowen', "dev mode's sample invite"),
	user(
		'7e1b4346-85a6-4bdd-abe3-d11c5d420efe',
		'Lee Gu',
		'support on weekends in examples/incoming-call-routing.json',
	),
	user(
		'5810cede-f3cc-42eb-b2c1-e9bd5d53ec96',
		'Adele Vance',
		'her voicemail takes calls out of hours',
	),
	user(TEST_CALLER_ID, 'Test User', 'calls the bot'),
];

/** Someone Graph was asked to call who is not in the directory: named after the identity. */
export function personFor(
	identityKey: string,
	displayName: string | undefined,
	people: readonly Person[],
): Person {
	const known = people.find((p) => p.key.toLowerCase() === identityKey.toLowerCase());
	if (known) return known;
	const separator = identityKey.indexOf(':');
	const kind = identityKey.slice(0, separator);
	const id = identityKey.slice(separator + 1);
	return {
		key: identityKey,
		kind: kind === 'phone' ? 'phone' : 'user',
		id,
		displayName: displayName ?? id,
		note: 'not in the directory',
	};
}
