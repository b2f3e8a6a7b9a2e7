/**
 * Runs one piece of work per item with at most `window` items in flight, starting them in item
 * order and returning their results in item order (so output order and pairedItem hold).
 *
 * When a piece of work throws (only without continue-on-fail), no further item is started, the
 * items already in flight are allowed to finish (their requests are on the wire; abandoning
 * them would hide what Graph did), and the failure of the lowest item index is thrown: the same
 * item that would have failed the execution had the items run one by one.
 */
export async function mapItemsInOrder<T>(
	count: number,
	window: number,
	work: (itemIndex: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	type Failure = { itemIndex: number; error: unknown };
	const state: { failure?: Failure } = {};

	async function lane(): Promise<void> {
		while (next < count && !state.failure) {
			const itemIndex = next++;
			try {
				results[itemIndex] = await work(itemIndex);
			} catch (error) {
				// Read afresh: another lane may have failed while this item was in flight.
				const earlier = state.failure as Failure | undefined;
				if (!earlier || itemIndex < earlier.itemIndex) state.failure = { itemIndex, error };
			}
		}
	}

	const lanes = Math.max(1, Math.min(window, count));
	await Promise.all(Array.from({ length: lanes }, lane));
	if (state.failure) throw state.failure.error;
	return results;
}
