/**
 * The tail every e2e runner shares: the closing count line CI reads ("N passed, N failed"), and
 * an explicit exit, because a stray keep-alive socket must not keep a finished suite alive.
 */

/** Prints the closing count and exits: 0 when nothing failed. */
export function finishSuite(passed: number, failed: number): never {
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed === 0 ? 0 : 1);
}

/** Runs a suite's main; a crash counts as one failure, with its stack printed. */
export function runSuite(main: () => Promise<void>): void {
	main().catch((error: unknown) => {
		console.error(error);
		finishSuite(0, 1);
	});
}
