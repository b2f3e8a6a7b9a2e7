/**
 * Where Microsoft's examples disagree with each other, the simulator chooses among every shape
 * they show, so that a client's tests meet each of them (a real tenant may send any).
 *
 * The choice is seeded: one seed per process, from GRAPH_SIM_VARIANT_SEED when set, otherwise
 * drawn once and printed, so that a failing run can be replayed with the same choices. A choice
 * depends only on the seed, the kind of choice and how many of that kind this simulator made
 * before (not on timing or on random IDs): the same test run with the same seed makes the same
 * choices. Tests that need one particular shape force it (`force`).
 */
import { createHash, randomInt } from 'node:crypto';

export const VARIANT_SEED_ENV = 'GRAPH_SIM_VARIANT_SEED';

let processSeed: number | undefined;

/** This process's seed: the environment's, or a fresh one, printed once so it can be replayed. */
export function processVariantSeed(): number {
	if (processSeed !== undefined) return processSeed;
	const raw = process.env[VARIANT_SEED_ENV]?.trim();
	if (raw !== undefined && raw !== '' && !/^\d{1,10}$/.test(raw))
		throw new Error(`${VARIANT_SEED_ENV} must be a whole number, got '${raw}'.`);
	processSeed = raw ? Number(raw) : randomInt(1, 2 ** 31 - 1);
	console.log(
		`[graph-simulator] documented variants chosen with seed ${processSeed} (replay: ${VARIANT_SEED_ENV}=${processSeed})`,
	);
	return processSeed;
}

/** One documented shape of a kind of answer or notification, and where Microsoft shows it. */
export interface DocumentedVariant {
	name: string;
	/** The page or issue (and its date) whose example shows this shape. */
	source: string;
}

export class DocumentedVariants {
	private readonly counts = new Map<string, number>();
	private readonly forced = new Map<string, string>();

	constructor(readonly seed: number) {}

	/** Picks one of `options` for the next shape of this kind: forced, else seeded. */
	choose<T extends DocumentedVariant>(kind: string, options: readonly T[]): T {
		if (options.length === 0) throw new Error(`no documented variant of ${kind}`);
		const forced = this.forced.get(kind);
		if (forced !== undefined) {
			const match = options.find((option) => option.name === forced);
			if (!match)
				throw new Error(
					`${kind} has no variant '${forced}' (${options.map((o) => o.name).join(', ')})`,
				);
			return match;
		}
		const n = this.counts.get(kind) ?? 0;
		this.counts.set(kind, n + 1);
		const digest = createHash('sha256').update(`${this.seed}\0${kind}\0${n}`).digest();
		return options[digest.readUInt32BE(0) % options.length]!;
	}

	/** From now on every shape of this kind is `variant` (a test that needs one path). */
	force(kind: string, variant: string): void {
		this.forced.set(kind, variant);
	}

	/** Seeded again from the first choice; nothing forced. */
	reset(): void {
		this.counts.clear();
		this.forced.clear();
	}
}
