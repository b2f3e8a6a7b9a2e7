/**
 * The prompts dev mode and the demo play, spoken by the package's own offline voice (CMU Flite,
 * lib/speech) in Graph's prompt format, so the softphone plays words, not a beep. Rendered once
 * and kept in a folder when one is given (about a second per prompt otherwise).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { closeSharedSpeechEngine, renderSpeech } from '../lib/speech';
import { makeWav, wavDurationMs } from '../simulator';

export interface SpokenPrompt {
	name: string;
	text: string;
	wav: Buffer;
	durationMs: number;
	/** How it was made: the offline voice, or a tone when the voice could not run (why). */
	madeBy: string;
}

/** `prompts` spoken as WAV files; each name is also the file name in `folder`. */
export async function spokenPrompts(
	prompts: Array<{ name: string; text: string }>,
	folder?: string,
): Promise<SpokenPrompt[]> {
	if (folder !== undefined) mkdirSync(folder, { recursive: true });
	const made: SpokenPrompt[] = [];
	try {
		for (const { name, text } of prompts) {
			const file = folder === undefined ? undefined : join(folder, `${name}.wav`);
			const textFile = file === undefined ? undefined : `${file}.txt`;
			// Kept only for the same words: a changed text is spoken again.
			if (file !== undefined && textFile !== undefined && existsSync(file) && existsSync(textFile))
				if (readFileSync(textFile, 'utf8') === text) {
					const wav = readFileSync(file);
					made.push({
						name,
						text,
						wav,
						durationMs: wavDurationMs(wav) ?? 0,
						madeBy: 'offline voice (kept)',
					});
					continue;
				}
			let wav: Buffer;
			let madeBy = 'offline voice';
			try {
				wav = (await renderSpeech({ engine: 'offline', text, cache: false })).wav;
			} catch (error) {
				// The voice is a WebAssembly module in a worker; should it fail here, a tone still plays.
				wav = makeWav({ durationMs: 1_500 });
				madeBy = `a tone (the offline voice failed: ${error instanceof Error ? error.message : String(error)})`;
			}
			if (file !== undefined && textFile !== undefined && madeBy === 'offline voice') {
				writeFileSync(file, wav);
				writeFileSync(textFile, text);
			}
			made.push({ name, text, wav, durationMs: wavDurationMs(wav) ?? 0, madeBy });
		}
	} finally {
		await closeSharedSpeechEngine();
	}
	return made;
}
