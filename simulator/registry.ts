/**
 * The simulated directory and call state: registered apps (which also define the known tenants),
 * live calls with their rosters, and the log of processed invitations.
 */
import { DEFAULT_APP_ROLES } from './constants';
import { isGuid, newId } from './ids';
import type { JsonObject } from './json';
import type {
	InvitationRecord,
	RosterParticipant,
	SeededCall,
	SimulatedApp,
	SimulatedCall,
} from './types';

/** Never resolvable (RFC 2606 .invalid), so nothing ever tries to deliver callbacks anywhere. */
const CALLBACK_URI = 'https://bot.simulator.invalid/api/calls';

export function appDisplayName(app: SimulatedApp): string {
	return app.displayName ?? `Simulated app ${app.clientId.slice(0, 8)}`;
}

export function appRoles(app: SimulatedApp): string[] {
	return [...(app.roles ?? DEFAULT_APP_ROLES)];
}

function sameId(a: string, b: string): boolean {
	return a.toLowerCase() === b.toLowerCase();
}

export class Registry {
	private readonly apps: SimulatedApp[] = [];
	private readonly calls = new Map<string, SimulatedCall>();
	/** Exposed as GraphSimulator.invitations; cleared in place so held references stay live. */
	readonly invitations: InvitationRecord[] = [];

	addApp(app: SimulatedApp): void {
		if (!isGuid(app.tenantId))
			throw new Error(`SimulatedApp.tenantId must be a GUID, got '${app.tenantId}'.`);
		if (!app.clientId) throw new Error('SimulatedApp.clientId is required.');
		// Re-adding the same app (tenant + client) replaces it: handy for rotating secrets in tests.
		const index = this.apps.findIndex(
			(a) => sameId(a.tenantId, app.tenantId) && sameId(a.clientId, app.clientId),
		);
		const copy: SimulatedApp = {
			...app,
			tenantDomains: [...(app.tenantDomains ?? [])],
			roles: appRoles(app),
		};
		if (index >= 0) this.apps[index] = copy;
		else this.apps.push(copy);
	}

	/** Maps the tenant segment of a token URL (GUID or verified domain) to the tenant GUID. */
	resolveTenant(segment: string): string | undefined {
		for (const app of this.apps) {
			if (sameId(app.tenantId, segment)) return app.tenantId;
			if (app.tenantDomains?.some((domain) => sameId(domain, segment))) return app.tenantId;
		}
		return undefined;
	}

	/** The GUID and every domain of a tenant: each is a valid way to name it in a URL. */
	tenantNames(tenantId: string): string[] {
		const names = new Set<string>([tenantId.toLowerCase()]);
		for (const app of this.apps) {
			if (sameId(app.tenantId, tenantId))
				app.tenantDomains?.forEach((d) => names.add(d.toLowerCase()));
		}
		return [...names];
	}

	findApp(tenantId: string, clientId: string): SimulatedApp | undefined {
		return this.apps.find((a) => sameId(a.tenantId, tenantId) && sameId(a.clientId, clientId));
	}

	addCall(seed: SeededCall): SimulatedCall {
		if (!seed.id) throw new Error('SeededCall.id is required.');
		const owner = this.findApp(seed.tenantId, seed.ownerClientId);
		const myParticipantId = newId();
		const bot: RosterParticipant = {
			id: myParticipantId,
			identityKey: `application:${seed.ownerClientId}`,
			identity: {
				application: {
					id: seed.ownerClientId,
					displayName: owner ? appDisplayName(owner) : 'Simulated bot',
				},
			},
			hidden: false,
			joinedAt: Date.now(),
		};
		const call: SimulatedCall = {
			id: seed.id,
			ownerClientId: seed.ownerClientId,
			tenantId: seed.tenantId,
			state: seed.state ?? 'established',
			direction: 'outgoing',
			callbackUri: seed.callbackUri ?? CALLBACK_URI,
			myParticipantId,
			createdAt: Date.now(),
			participants: [bot],
		};
		this.calls.set(seed.id.toLowerCase(), call);
		return call;
	}

	getCall(id: string): SimulatedCall | undefined {
		return this.calls.get(id.toLowerCase());
	}

	/**
	 * Records one processed invitation and puts the target in the roster. A target already in
	 * the roster is not listed twice (a person is in a call once), but every invitation is
	 * counted: duplicates are exactly what tests look for.
	 */
	recordInvitation(call: SimulatedCall, record: InvitationRecord, identity: JsonObject): void {
		this.invitations.push(record);
		const identityKey = `${record.identityKind}:${record.identityId}`;
		if (call.participants.some((p) => sameId(p.identityKey, identityKey))) return;
		call.participants.push({
			id: newId(),
			identityKey,
			identity,
			hidden: record.participant.hidden === true,
			endpointType:
				typeof record.participant.endpointType === 'string'
					? record.participant.endpointType
					: undefined,
			joinedAt: record.at,
		});
	}

	inviteCount(callId: string, identityKey: string): number {
		const separator = identityKey.indexOf(':');
		const kind = identityKey.slice(0, separator);
		const id = identityKey.slice(separator + 1);
		return this.invitations.filter(
			(r) => sameId(r.callId, callId) && r.identityKind === kind && sameId(r.identityId, id),
		).length;
	}

	/** Forgets invitations and invitees; apps and calls (with their bot participant) stay. */
	clearRuntime(): void {
		this.invitations.length = 0;
		for (const call of this.calls.values()) {
			call.participants.splice(1);
		}
	}
}
