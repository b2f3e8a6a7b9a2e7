/**
 * `npm run demo:in-process` (started by demo-in-process.ts, which makes this process trust the simulator's CA): start the simulator,
 * run the node (inside n8n-core's execution context) to invite a Teams user and a phone number
 * into a simulated call, print the operations Graph returned and the call's roster.
 */
import { createCredentialStore, runNode } from '../harness/runNode';
import { DEFAULT_CALL_ID, startGraphSimulator } from '../simulator';
import { simulatorCredential } from '../simulator/credentialData';

async function main(): Promise<void> {
	const sim = await startGraphSimulator();
	try {
		console.log(
			`Graph simulator on ${sim.origin} (Entra token endpoint and Graph API, HTTPS, fresh certificate)`,
		);
		console.log(`Simulated call: ${DEFAULT_CALL_ID}\n`);
		const parameters = {
			resource: 'callParticipant',
			operation: 'invite',
			callId: DEFAULT_CALL_ID,
			participantsMode: 'defineBelow',
			participants: {
				participant: [
					{ type: '={{ $json.type }}', id: '={{ $json.id }}', displayName: '={{ $json.name }}' },
				],
			},
			clientContext: '={{ "incident-4711/" + $json.name }}',
		};
		const items = [
			{
				json: {
					type: 'user',
					id: '278405a3-f568-4b3e-b684-009193463064',
					name: 'On-call engineer',
				},
			},
			{ json: { type: 'phone', id: '+14255550123', name: 'Duty manager phone' } },
		];
		const result = await runNode({
			parameters,
			items,
			credentials: createCredentialStore(simulatorCredential(sim)),
		});
		if (result.error) throw result.error;
		console.log(
			'Output items (one per input item, the inviteParticipantsOperation as Graph returned it):',
		);
		console.log(
			JSON.stringify(
				result.output?.[0].map((item) => ({ json: item.json, pairedItem: item.pairedItem })),
				null,
				2,
			),
		);
		const call = sim.getCall(DEFAULT_CALL_ID);
		console.log(
			`\nRoster of the simulated call now: ${call?.participants.map((p) => p.identityKey).join(', ')}`,
		);
		console.log(
			`Requests the simulator saw: ${sim.tokenRequests().length} token, ${sim.graphRequests().length} Graph.`,
		);
	} finally {
		await sim.close();
	}
}

main().catch((error: unknown) => {
	console.error(`Demo failed: ${(error as Error).message}`);
	process.exitCode = 1;
});
