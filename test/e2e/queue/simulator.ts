/**
 * The Graph simulator as the queue suite uses it: test/e2e/simulator.ts (the typed `require` of
 * test/simulator shared by the e2e suites) plus the one knob this suite also needs, the Graph
 * latency (`faults.latencyMs`, part of test/simulator's public GraphSimulator type).
 */
import * as e2eSim from '../simulator';

export type { CertificateAuthority, RecordedRequest } from '../simulator';
export {
	createCertificateAuthority,
	writeCaFiles,
	DEFAULT_CALL_ID,
	DEFAULT_TENANT_ID,
	DEFAULT_CLIENT_ID,
	DEFAULT_CLIENT_SECRET,
} from '../simulator';

export type GraphSimulator = e2eSim.GraphSimulator & { faults: { latencyMs: number } };

export async function startGraphSimulator(
	options: e2eSim.SimulatorOptions,
): Promise<GraphSimulator> {
	const sim = (await e2eSim.startGraphSimulator(options)) as GraphSimulator;
	if (typeof sim.faults?.latencyMs !== 'number')
		throw new Error('test/simulator no longer exposes faults.latencyMs');
	return sim;
}
