/** A simulator, the action node's credential, and the trigger served on 127.0.0.1 (https). */
import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { clearKeyCache } from '../../lib/notifications/keySource';
import { notificationReplays } from '../../lib/notifications/replayGuard';
import { CREDENTIAL_ID } from '../../harness/runNode';
import { startTriggerServer, type TriggerServer } from '../harness/runTrigger';
import { DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID } from '../../simulator';
import { simulatorCredential, startFixture, type Fixture } from './fixture';
import { httpsSend } from './https';

export interface TriggerFixture extends Fixture {
	trigger: TriggerServer;
	/** POSTs to the trigger's URL; resolves with the status and body. */
	post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
	/**
	 * A token like the platform's for the default app and tenant. Each carries a fresh jti, so
	 * that two posts of one envelope are two notifications, not a replay (same token and body).
	 */
	token(options?: Parameters<Fixture['sim']['callbacks']['signToken']>[2]): string;
}

export interface TriggerFixtureOptions {
	/** Credential fields replacing the simulator credential's (e.g. another key source). */
	credential?: Record<string, unknown>;
	typeVersion?: number;
}

export async function startTriggerFixture(
	parameters: INodeParameters = {},
	options: TriggerFixtureOptions = {},
): Promise<TriggerFixture> {
	// Process-wide state of the trigger: every fixture starts from none.
	clearKeyCache();
	notificationReplays.clear();
	const fx = await startFixture();
	// The Custom cloud's notification keys are the simulator's.
	fx.credentials.save(CREDENTIAL_ID, {
		...simulatorCredential(fx.sim),
		notificationOpenIdConfigurationUrl: fx.sim.callbacks.openIdConfigurationUrl,
		...options.credential,
	});
	const trigger = await startTriggerServer({
		credentials: fx.credentials,
		parameters,
		typeVersion: options.typeVersion,
	});
	const post = async (body: unknown, headers: Record<string, string> = {}) => {
		const answer = await httpsSend(
			{
				method: 'POST',
				url: trigger.url,
				headers: { 'content-type': 'application/json', ...headers },
				body: typeof body === 'string' ? body : JSON.stringify(body),
			},
			fx.sim.caCertPem,
		);
		return { status: answer.status, body: answer.text };
	};
	return {
		...fx,
		trigger,
		post,
		token: (tokenOptions) =>
			fx.sim.callbacks.signToken(DEFAULT_CLIENT_ID, DEFAULT_TENANT_ID, {
				...tokenOptions,
				claims: { jti: randomUUID(), ...tokenOptions?.claims },
			}),
		close: async () => {
			await trigger.close();
			await fx.close();
		},
	};
}

/** A minimal valid envelope: one operation result. */
export function operationEnvelope(
	callId = 'call-1',
	operationId = 'op-1',
): Record<string, unknown> {
	const resourceUrl = `/communications/calls/${callId}/operations/${operationId}`;
	return {
		'@odata.type': '#microsoft.graph.commsNotifications',
		value: [
			{
				'@odata.type': '#microsoft.graph.commsNotification',
				changeType: 'deleted',
				resourceUrl,
				resourceData: {
					'@odata.type': '#microsoft.graph.inviteParticipantsOperation',
					id: operationId,
					status: 'completed',
					clientContext: 'ctx-1',
					resultInfo: { code: 200, subcode: 0, message: 'ok' },
				},
			},
		],
	};
}
