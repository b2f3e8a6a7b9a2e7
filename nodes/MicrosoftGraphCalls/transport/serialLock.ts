/**
 * Runs the tasks given to it one after another. Used for the repeat after a 401: when requests
 * in flight together all meet an expired token, the first repeat makes n8n mint and store a new
 * token, and the repeats queued behind it find that token stored, instead of each making n8n
 * mint (and write the credential) again.
 */
export class SerialLock {
	private tail: Promise<unknown> = Promise.resolve();

	async run<T>(task: () => Promise<T>): Promise<T> {
		const result = this.tail.then(task, task);
		// The queue goes on whether this task succeeds or fails.
		this.tail = result.catch(() => undefined);
		return await result;
	}
}
