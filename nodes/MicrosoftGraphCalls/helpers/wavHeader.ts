/**
 * The prompt check's view of WAV files. The reader itself lives in lib/audio (one reader for the
 * whole package: the speech layer below the nodes reads and writes WAV too); these names stay
 * here so the node's imports did not move.
 */
export { readWavHeader, type WavFormat, type WavReading } from '../../../lib/audio/wav';
export {
	PROMPT_FORMAT,
	PROMPT_FORMAT_TEXT,
	promptFormatProblem,
} from '../../../lib/audio/graphPrompt';
