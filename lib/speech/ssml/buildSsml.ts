/**
 * Typed text to an SSML document for Azure AI Speech, and the checks of the language and voice
 * that go into it. Azure's SSML reference: version, xmlns and xml:lang on <speak> "Required",
 * the text inside a <voice name>, and "&", "<", ">" escaped.
 */
import { SpeechError } from '../errors';
import { escapeXmlAttribute, escapeXmlText, withoutForbiddenXmlChars } from './xml';

export const SSML_NAMESPACE = 'http://www.w3.org/2001/10/synthesis';

/** BCP 47 in the shape Azure uses: language, optional script and region ("en-US", "zh-Hans-CN"). */
const LANGUAGE = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$/;

/**
 * Azure voice names: "en-US-AvaMultilingualNeural", "en-US-Ava:DragonHDLatestNeural", or the
 * long form "Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)".
 */
const AZURE_VOICE = /^[A-Za-z0-9][A-Za-z0-9 (),.:_-]{0,199}$/;

export function checkLanguage(language: string, field: string): string {
	const trimmed = language.trim();
	if (!LANGUAGE.test(trimmed)) {
		throw new SpeechError(
			'badInput',
			`"${field}" must be a language tag such as en-US, de-DE or zh-Hans-CN (got "${trimmed.slice(0, 40)}").`,
			{ field },
		);
	}
	return trimmed;
}

export function checkAzureVoice(voice: string, field: string): string {
	const trimmed = voice.trim();
	if (!AZURE_VOICE.test(trimmed)) {
		throw new SpeechError(
			'badInput',
			trimmed === ''
				? `"${field}" is empty: give an Azure voice name such as en-US-AvaMultilingualNeural (the credential test lists the voices your resource has).`
				: `"${field}" is not an Azure voice name (got "${trimmed.slice(0, 60)}"); names look like en-US-AvaMultilingualNeural.`,
			{ field },
		);
	}
	return trimmed;
}

/** The document Azure synthesises for plain text in one voice. */
export function buildSsml(text: string, language: string, voice: string): string {
	return (
		`<speak version="1.0" xmlns="${SSML_NAMESPACE}" xml:lang="${escapeXmlAttribute(language)}">` +
		`<voice name="${escapeXmlAttribute(voice)}">${escapeXmlText(withoutForbiddenXmlChars(text))}</voice>` +
		`</speak>`
	);
}
