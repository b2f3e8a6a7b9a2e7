/**
 * Splits long text for the offline engine. Flite keeps a whole utterance's audio in memory
 * (3,000 characters of slt grow one instance to 167 MB; 100,000 trap), and one run blocks its
 * thread for its whole length, so each chunk gets its own fresh instance.
 */

/** Characters per engine run: ~0.2-0.6 s of work and ~30 MB of instance memory with slt. */
export const CHUNK_CHARS = 400;

/**
 * Chunks of at most `maxChars`: cut at sentence ends (and blank lines) where possible, then at
 * commas and semicolons, then at spaces; only a "word" longer than `maxChars` is cut hard.
 * Short sentences are packed together so Flite keeps its natural rhythm between them.
 */
export function chunkText(text: string, maxChars = CHUNK_CHARS): string[] {
	const sentences = text
		.split(/(?<=[.!?:;])\s+|\n{2,}/)
		.map((sentence) => sentence.replace(/\s+/g, ' ').trim())
		.filter((sentence) => sentence.length > 0)
		.flatMap((sentence) =>
			sentence.length <= maxChars ? [sentence] : splitLong(sentence, maxChars),
		);
	const chunks: string[] = [];
	let current = '';
	for (const piece of sentences) {
		if (current && current.length + 1 + piece.length > maxChars) {
			chunks.push(current);
			current = piece;
		} else current = current ? `${current} ${piece}` : piece;
	}
	if (current) chunks.push(current);
	return chunks;
}

function splitLong(sentence: string, maxChars: number): string[] {
	const pieces: string[] = [];
	let rest = sentence;
	while (rest.length > maxChars) {
		const window = rest.slice(0, maxChars + 1);
		let cut = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '));
		// A comma near the start would leave a tiny piece: prefer the last space then.
		if (cut >= maxChars / 3) cut += 1;
		else cut = window.lastIndexOf(' ');
		if (cut < 1) cut = maxChars;
		pieces.push(rest.slice(0, cut).trim());
		rest = rest.slice(cut).trim();
	}
	if (rest) pieces.push(rest);
	return pieces;
}
