/**
 * lib/speech's text side: the strict XML reader, user SSML checks (before any request), SSML
 * built from typed text, the offline engine's reading of SSML, Flite's text clean-up and the
 * chunker.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SpeechError } from '../lib/speech/errors';
import { MAX_PROMPT_CHARS, MAX_SSML_CHARS } from '../lib/speech/limits';
import { buildSsml, checkAzureVoice, checkLanguage } from '../lib/speech/ssml/buildSsml';
import { offlineScript } from '../lib/speech/ssml/offlineSegments';
import { checkSsmlForAzure, readSsml } from '../lib/speech/ssml/readSsml';
import { readXml, XmlSyntaxError } from '../lib/speech/ssml/xml';
import { chunkText } from '../lib/speech/text/chunkText';
import { textForFlite } from '../lib/speech/text/fliteText';

const SPEAK = '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">';

function speechError(field: string, code: SpeechError['kind'], message: RegExp) {
	return (error: unknown): boolean => {
		assert.ok(error instanceof SpeechError, String(error));
		assert.equal(error.field, field);
		assert.equal(error.kind, code);
		assert.match(error.message, message);
		return true;
	};
}

describe('lib/speech: the XML reader', () => {
	it('reads elements, attributes, references, CDATA, comments and a declaration', () => {
		const reading = readXml(
			`\ufeff<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><speak a='1' b="x &amp; &#x41;&#66;">` +
				`t&lt;1<![CDATA[<raw>]]><br/><?pi x?></speak>\n<!-- after -->`,
		);
		assert.ok(reading.ok);
		const { root, events } = reading;
		assert.equal(root, 'speak');
		assert.deepEqual(
			events.map((e) => (e.kind === 'text' ? `text:${e.text}` : `${e.kind}:${e.name}`)),
			['open:speak', 'text:t<1', 'text:<raw>', 'open:br', 'close:br', 'close:speak'],
		);
		const first = events[0];
		assert.ok(first?.kind === 'open');
		assert.equal(first.attributes.get('b'), 'x & AB');
	});

	const faults: [string, string, RegExp][] = [
		['unclosed element', '<speak><voice>hi</speak>', /line 1, column 17: <\/speak> closes <voice>/],
		['never closed', '<speak><p>hi', /<p> is never closed/],
		['bare ampersand', '<speak>Tom & Jerry</speak>', /column 12: "&" must start a reference/],
		['unknown entity', '<speak>&nbsp;</speak>', /unknown entity &nbsp;/],
		['unquoted attribute', '<speak a=1></speak>', /value of "a" must be in quotes/],
		['duplicate attribute', '<speak a="1" a="2"/>', /attribute "a" appears twice/],
		['"<" in an attribute', '<speak a="<"/>', /contains "<"/],
		['DOCTYPE', '<!DOCTYPE speak [<!ENTITY x "y">]><speak/>', /DOCTYPE is not accepted/],
		['two roots', '<speak/><speak/>', /a second root element/],
		['text after the root', '<speak/> trailing', /text after the root element/],
		['control character', '<speak>a\u0001b</speak>', /control character U\+0001/],
		['empty', '   ', /the document is empty/],
		[
			'line and column on line 3',
			'<speak>\n<p>\n</s></speak>',
			/line 3, column 1: <\/s> closes <p>/,
		],
	];
	for (const [name, source, expected] of faults) {
		it(`${name}: an XmlSyntaxError with the place`, () => {
			const reading = readXml(source);
			assert.ok(!reading.ok);
			assert.ok(reading.fault instanceof XmlSyntaxError);
			assert.match(reading.fault.message, expected);
		});
	}
});

describe('lib/speech: user SSML is checked before anything is sent', () => {
	it('a well-formed Azure document passes and is counted', () => {
		const document = readSsml(
			`${SPEAK}<voice name="en-US-JennyNeural">Hello   there.</voice><voice name="en-US-GuyNeural">Bye.</voice></speak>`,
			'SSML',
		);
		assert.deepEqual(document.voiceNames, ['en-US-JennyNeural', 'en-US-GuyNeural']);
		assert.equal(document.spokenChars, 'Hello there.Bye.'.length);
		checkSsmlForAzure(document, 'SSML');
	});

	it('malformed XML names the field, the place and what Azure would do', () => {
		assert.throws(
			() => readSsml(`${SPEAK}<voice name="a">x</speak>`, 'Prompt SSML'),
			speechError(
				'Prompt SSML',
				'badInput',
				/"Prompt SSML" is not well-formed XML: line 1, column \d+: <\/speak> closes <voice>.*HTTP 400/,
			),
		);
	});

	it('a root other than <speak> is refused', () => {
		assert.throws(
			() => readSsml('<voice name="a">x</voice>', 'SSML'),
			speechError('SSML', 'badInput', /root element, not <voice>/),
		);
	});

	it('Azure needs version, xml:lang and a named voice, and at most 50 voice/audio tags', () => {
		const check = (ssml: string) => checkSsmlForAzure(readSsml(ssml, 'SSML'), 'SSML');
		assert.throws(
			() => check('<speak xml:lang="en-US"><voice name="a">x</voice></speak>'),
			speechError('SSML', 'badInput', /needs version="\.\.\."/),
		);
		assert.throws(
			() => check('<speak version="1.0"><voice name="a">x</voice></speak>'),
			speechError('SSML', 'badInput', /needs xml:lang="\.\.\."/),
		);
		assert.throws(
			() => check(`${SPEAK}plain text</speak>`),
			speechError('SSML', 'badInput', /there is none/),
		);
		assert.throws(
			() => check(`${SPEAK}<voice>x</voice></speak>`),
			speechError('SSML', 'badInput', /one has no name/),
		);
		const many = `${SPEAK}${'<voice name="a">x</voice>'.repeat(51)}</speak>`;
		assert.throws(
			() => check(many),
			speechError(
				'SSML',
				'tooLong',
				/51 <voice> and <audio> elements; the limit is 50 \(Azure AI Speech's documented maximum/,
			),
		);
		check(`${SPEAK}${'<voice name="a">x</voice>'.repeat(50)}</speak>`);
	});

	it('too much text, or too large a document, says the limit and where it comes from', () => {
		const text = 'a'.repeat(MAX_PROMPT_CHARS + 1);
		assert.throws(
			() => readSsml(`${SPEAK}<voice name="a">${text}</voice></speak>`, 'SSML'),
			speechError(
				'SSML',
				'tooLong',
				/5,001 characters of text; a prompt may have at most 5,000 \(this package's limit per prompt.*10 minutes per request/,
			),
		);
		readSsml(`${SPEAK}<voice name="a">${'a'.repeat(MAX_PROMPT_CHARS)}</voice></speak>`, 'SSML');
		assert.throws(
			() =>
				readSsml(
					`${SPEAK}<voice name="a">${'<p/>'.repeat(MAX_SSML_CHARS / 4)}</voice></speak>`,
					'SSML',
				),
			speechError('SSML', 'tooLong', /at most 20,000/),
		);
	});
});

describe('lib/speech: SSML built from typed text', () => {
	it('escapes &, < and > in text and quotes in names, always with xmlns, and reads back as typed', () => {
		const typed = 'R&D <urgent> "quotes" a > b \u0007bell';
		const ssml = buildSsml(typed, 'en-US', 'en-US-Ava:DragonHDLatestNeural');
		assert.match(
			ssml,
			/^<speak version="1\.0" xmlns="http:\/\/www\.w3\.org\/2001\/10\/synthesis" xml:lang="en-US"><voice name="en-US-Ava:DragonHDLatestNeural">/,
		);
		const document = readSsml(ssml, 'SSML');
		checkSsmlForAzure(document, 'SSML');
		const text = document.events.flatMap((e) => (e.kind === 'text' ? [e.text] : [])).join('');
		assert.equal(
			text,
			'R&D <urgent> "quotes" a > b bell',
			'the control character is dropped, the rest kept',
		);
		const tricky = buildSsml('x', 'en-US', 'a"><evil/>');
		assert.equal(readSsml(tricky, 'SSML').voiceNames[0], 'a"><evil/>');
	});

	it('language and voice are checked, naming the field', () => {
		assert.equal(checkLanguage(' de-DE ', 'Language'), 'de-DE');
		assert.equal(checkLanguage('zh-Hans-CN', 'Language'), 'zh-Hans-CN');
		assert.throws(
			() => checkLanguage('english', 'Language'),
			speechError('Language', 'badInput', /language tag such as en-US/),
		);
		assert.equal(
			checkAzureVoice('Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)', 'Voice'),
			'Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)',
		);
		assert.throws(
			() => checkAzureVoice('', 'Voice'),
			speechError('Voice', 'badInput', /is empty: give an Azure voice name/),
		);
		assert.throws(
			() => checkAzureVoice('<x>', 'Voice'),
			speechError('Voice', 'badInput', /not an Azure voice name/),
		);
	});
});

describe('lib/speech: SSML for the offline voice', () => {
	const script = (body: string) =>
		offlineScript(readSsml(`${SPEAK}${body}</speak>`, 'SSML').events, (name) => name === 'kal16');
	const summary = (body: string) =>
		script(body).segments.map((s) =>
			s.kind === 'break'
				? `[${s.ms}]`
				: `${s.text.replace(/\s+/g, ' ').trim()}|${s.rate}|${s.voice ?? ''}`,
		);

	it('breaks become exact silences, by time or strength, each clamped to 20 s like Azure, adjacent ones added up', () => {
		assert.deepEqual(
			summary(
				'A<break time="1500ms"/>B<break strength="x-strong"/>C<break/>D<break time="2s"/><break time="99s"/>E<break strength="none"/>F',
			),
			[
				'A|1|',
				'[1500]',
				'B|1|',
				'[1250]',
				'C|1|',
				'[750]',
				'D|1|',
				'[22000]',
				'E|1|',
				'[0]',
				'F|1|',
			],
		);
	});

	it('sub, say-as, prosody rate and offline voice names are honoured; the rest keeps its text', () => {
		const result = script(
			'<voice name="en-US-JennyNeural"><sub alias="World Wide Web">W3C</sub> <say-as interpret-as="characters">DB7</say-as> ' +
				'<prosody rate="-50%">slow</prosody><prosody rate="x-fast">quick</prosody><voice name="kal16">robot</voice>' +
				'<bookmark mark="m"/><emphasis>loud</emphasis> <![CDATA[x < y]]> &amp; &#65;<mstts:silence type="Leading" value="1s"/></voice>',
		);
		assert.deepEqual(
			result.segments.map((s) =>
				s.kind === 'break'
					? `[${s.ms}]`
					: `${s.text.replace(/\s+/g, ' ').trim()}|${s.rate}|${s.voice ?? ''}`,
			),
			['World Wide Web D B 7|1|', 'slow|0.5|', 'quick|1.75|', 'robot|1|kal16', 'loud x < y & A|1|'],
		);
		assert.ok(
			result.warnings.some((w) => w.includes('"en-US-JennyNeural" is not an offline voice')),
		);
		assert.ok(result.warnings.some((w) => w.includes('<mstts:silence> has no offline equivalent')));
	});

	it('a break inside <sub> or <say-as> does not repeat their text', () => {
		assert.deepEqual(summary('<say-as interpret-as="digits">12<break time="100ms"/>3</say-as>'), [
			'[100]',
			'1 2 3|1|',
		]);
	});

	it('<p> and <s> end sentences', () => {
		assert.deepEqual(
			script('<p>one</p><p><s>two</s><s>three</s></p>').segments.map((s) =>
				s.kind === 'text' ? s.text : '',
			),
			['one\n\ntwo\n\nthree\n\n'],
		);
	});
});

describe('lib/speech: text for Flite', () => {
	it('maps typography, accents and symbols to ASCII and reports what it dropped', () => {
		const cleaned = textForFlite(
			'“Café” – naïve\u00a0Zürich\tß €5 3°C\u0000 東京😀\r\n\r\n\r\nend',
		);
		assert.equal(cleaned.text, '"Cafe" , naive Zurich ss 5 euros 3 degrees Celsius\n\nend');
		assert.deepEqual(cleaned.dropped, ['東', '京', '😀']);
	});

	it('chunks at sentence ends, then commas, then spaces, losing no word', () => {
		const text =
			'One two three. ' + 'word, '.repeat(200) + 'end. ' + 'x'.repeat(900) + '\n\nLast one';
		const chunks = chunkText(text, 400);
		assert.ok(
			chunks.every((chunk) => chunk.length <= 400),
			chunks.map((c) => c.length).join(','),
		);
		assert.equal(chunks.join(' ').replace(/\s+/g, ''), text.replace(/\s+/g, ''));
		assert.deepEqual(chunkText('Short. Sentences. Packed.', 400), ['Short. Sentences. Packed.']);
	});
});
