import assert from 'node:assert/strict';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { clearTokenClients } from '../../lib/entra/tokenMinter';
import { createCredentialStore, runNode, type RunResult } from '../../harness/runNode';
import type { HarnessCredentialsHelper } from '../../harness/credentialsHelper';
import { DEFAULT_CALL_ID, startGraphSimulator } from '../../simulator';
import type { GraphSimulator, RecordedRequest, SimulatorOptions } from '../../simulator';
import { simulatorCredential } from '../../simulator/credentialData';

export { simulatorCredential } from '../../simulator/credentialData';

export interface ParticipantInput {
	type?: string;
	id: string;
	displayName?: string;
	[key: string]: unknown;
}

/** Node parameters for Invite with the panel's participant collection. */
export function inviteParameters(
	participants: ParticipantInput[],
	extra: INodeParameters = {},
): INodeParameters {
	return {
		resource: 'callParticipant',
		operation: 'invite',
		callId: DEFAULT_CALL_ID,
		participantsMode: 'defineBelow',
		participants: { participant: participants as unknown as INodeParameters[] },
		...extra,
	};
}

export interface Fixture {
	sim: GraphSimulator;
	credentials: HarnessCredentialsHelper;
	run(
		parameters: INodeParameters,
		items?: INodeExecutionData[],
		continueOnFail?: boolean,
		typeVersion?: number,
	): Promise<RunResult>;
	invites(): RecordedRequest[];
	close(): Promise<void>;
}

/** A fresh simulator and a credential store pointing at it. */
export async function startFixture(
	options: { simulator?: SimulatorOptions; credential?: ICredentialDataDecryptedObject } = {},
): Promise<Fixture> {
	clearTokenClients();
	const sim = await startGraphSimulator(options.simulator);
	const credentials = createCredentialStore(simulatorCredential(sim, options.credential));
	return {
		sim,
		credentials,
		run: async (parameters, items, continueOnFail, typeVersion) =>
			await runNode({ parameters, items, credentials, continueOnFail, typeVersion }),
		invites: () => sim.graphRequests().filter((r) => r.path.endsWith('/participants/invite')),
		close: async () => await sim.close(),
	};
}

/** The JSON of every output item of the first output. */
export function outputJson(result: RunResult): IDataObject[] {
	if (result.error) throw result.error;
	return (result.output?.[0] ?? []).map((item) => item.json);
}

export function items(
	count: number,
	make: (index: number) => IDataObject = () => ({}),
): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({ json: make(index) }));
}

/** One bad input: the node must refuse it with a message matching `expect`. */
export interface BadInputCase {
	name: string;
	parameters: INodeParameters;
	/** The field the message must name, and something of what it says. */
	expect: RegExp;
}

/** The node fails with a NodeOperationError saying `expect`, and the simulator received nothing. */
export async function assertRefusedBeforeSending(
	fx: Fixture,
	parameters: INodeParameters,
	expect: RegExp,
): Promise<void> {
	fx.sim.reset();
	const result = await fx.run(parameters);
	assert.ok(result.error, 'the node must fail');
	assert.equal(result.error.name, 'NodeOperationError');
	assert.match(result.error.message, expect);
	assert.equal(
		fx.sim.requests.length,
		0,
		'the simulator received nothing, not even a token request',
	);
}
