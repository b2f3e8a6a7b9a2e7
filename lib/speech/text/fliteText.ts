/**
 * Text for Flite: its lexicon is US English in ASCII, and every other byte is read out as a
 * garbage token. Typographic punctuation is mapped to ASCII, accents are dropped (café → cafe),
 * common symbols become words, and what is left is dropped and reported.
 */

const REPLACEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
	[/[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g, "'"],
	[/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"'],
	[/[\u2013\u2014\u2015\u2212]/g, ', '],
	[/\u2026/g, '...'],
	[/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' '],
	[/[\u200b-\u200d\u2060\ufeff]/g, ''],
	[/\u00df/g, 'ss'],
	[/\u00e6/g, 'ae'],
	[/\u00c6/g, 'AE'],
	[/\u0153/g, 'oe'],
	[/\u0152/g, 'OE'],
	[/\u00f8/g, 'o'],
	[/\u00d8/g, 'O'],
	[/\u0142/g, 'l'],
	[/\u0141/g, 'L'],
	[/\u0111/g, 'd'],
	[/\u0110/g, 'D'],
	[/\u00fe/g, 'th'],
	[/\u00de/g, 'Th'],
	[/\u00f0/g, 'd'],
	[/\u0131/g, 'i'],
	[/\u00b0\s?C\b/g, ' degrees Celsius'],
	[/\u00b0\s?F\b/g, ' degrees Fahrenheit'],
	[/\u00b0/g, ' degrees'],
	[/€\s?(\d[\d,.]*)/g, '$1 euros'],
	[/£\s?(\d[\d,.]*)/g, '$1 pounds'],
	[/¥\s?(\d[\d,.]*)/g, '$1 yen'],
	[/€/g, ' euros '],
	[/£/g, ' pounds '],
	[/¥/g, ' yen '],
	[/&/g, ' and '],
	[/[<>]/g, ' '],
	[/[\u2022\u00b7]/g, ', '],
];

const MAX_REPORTED = 20;

export interface FliteText {
	text: string;
	/** Characters Flite cannot say that were dropped (distinct, at most 20). */
	dropped: string[];
}

export function textForFlite(input: string): FliteText {
	// Control characters go silently: a NUL would even cut the argument Flite receives.
	let text = input
		.replace(/\r\n?/g, '\n')
		.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
	for (const [pattern, replacement] of REPLACEMENTS) text = text.replace(pattern, replacement);
	text = text.normalize('NFKD').replace(/\p{M}+/gu, '');
	const dropped = new Set<string>();
	text = text.replace(/[^\u0020-\u007e\n\t]/gu, (char) => {
		if (dropped.size < MAX_REPORTED && char.trim() !== '') dropped.add(char);
		return ' ';
	});
	text = text
		.replace(/\t/g, ' ')
		.replace(/ {2,}/g, ' ')
		.replace(/ *\n */g, '\n')
		.replace(/\n{3,}/g, '\n\n');
	return { text: text.trim(), dropped: [...dropped] };
}
