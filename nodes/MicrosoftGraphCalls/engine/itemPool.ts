/** What a run of the items left behind when one of them failed for good. */
export class ItemRunFailure<T> extends Error {
	constructor(
		/** The lowest failing item and its error: the one a one-by-one run would have failed on. */
		readonly itemIndex: number,
		readonly error: unknown,
		/** The items that had finished successfully, in item order (in flight ones included). */
		readonly completed: ReadonlyArray<{ itemIndex: number; result: T }>,
	) {
		super(error instanceof Error ? error.message : String(error));
		this.name = 'ItemRunFailure';
	}
}

/**
 * Runs one piece of work per item with at most `window` items in flight, starting them in item
 * order and returning their results in item order (so output order and pairedItem hold).
 *
 * When a piece of work throws (only without continue-on-fail), no further item is started, the
 * items already in flight are allowed to finish (their requests are on the wire; abandoning
 * them would hide what Graph did), and an ItemRunFailure names the lowest failing item and
 * every item that had succeeded, so the failure can say what was already done.
 */
export async function mapItemsInOrder<T>(
	count: number,
	window: number,
	work: (itemIndex: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	const done = new Array<boolean>(count).fill(false);
	let next = 0;
	type Failure = { itemIndex: number; error: unknown };
	const state: { failure?: Failure } = {};

	async function lane(): Promise<void> {
		while (next < count && !state.failure) {
			const itemIndex = next++;
			try {
				results[itemIndex] = await work(itemIndex);
				done[itemIndex] = true;
			} catch (error) {
				// Read afresh: another lane may have failed while this item was in flight.
				const earlier = state.failure as Failure | undefined;
				if (!earlier || itemIndex < earlier.itemIndex) state.failure = { itemIndex, error };
			}
		}
	}

	const lanes = Math.max(1, Math.min(window, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	if (state.failure) {
		const completed = results
			.map((result, itemIndex) => ({ itemIndex, result }))
			.filter(({ itemIndex }) => done[itemIndex]);
		throw new ItemRunFailure(state.failure.itemIndex, state.failure.error, completed);
	}
	return results;
}
