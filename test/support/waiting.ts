/**
 * A simulator, a credential whose notification keys are the simulator's (the Custom cloud's, as for
 * the trigger), and the waiting-webhook harness: what every in-process test of Call and Wait for
 * Keypress starts from.
 */
import { clearKeyCache } from '../../lib/notifications/keySource';
import { notificationReplays } from '../../lib/notifications/replayGuard';
import { CREDENTIAL_ID } from '../../harness/runNode';
import { startWaitingHarness, type WaitingHarness } from '../harness/runWaiting';
import type { SimulatorOptions } from '../../simulator';
import { simulatorCredential, startFixture, type Fixture } from './fixture';

export interface WaitingFixture extends Fixture {
	waiting: WaitingHarness;
}

export async function startWaitingFixture(simulator?: SimulatorOptions): Promise<WaitingFixture> {
	clearKeyCache();
	notificationReplays.clear();
	const fx = await startFixture({ simulator });
	fx.credentials.save(CREDENTIAL_ID, {
		...simulatorCredential(fx.sim),
		notificationOpenIdConfigurationUrl: fx.sim.callbacks.openIdConfigurationUrl,
	});
	const waiting = await startWaitingHarness(fx.credentials);
	return {
		...fx,
		waiting,
		close: async () => {
			await waiting.close();
			await fx.close();
		},
	};
}
