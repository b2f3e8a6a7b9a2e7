/**
 * A strict reader of the XML that SSML is: well-formedness only, no DTD, no namespaces
 * resolved, no external anything. Azure AI Speech answers malformed SSML with a bare 400 and no
 * explanation, so the document is read here first and its first fault reported with line and
 * column. The same events feed the offline engine's SSML reading, so both engines accept
 * exactly the same documents.
 */

export type XmlEvent =
	| { kind: 'open'; name: string; attributes: ReadonlyMap<string, string>; selfClosing: boolean }
	| { kind: 'close'; name: string }
	/** Character data with references decoded (CDATA sections included as they are). */
	| { kind: 'text'; text: string };

/** Where and why a document is not well-formed. */
export class XmlSyntaxError extends Error {
	constructor(
		readonly reason: string,
		readonly line: number,
		readonly column: number,
	) {
		super(`line ${line}, column ${column}: ${reason}`);
		this.name = 'XmlSyntaxError';
	}
}

const NAME = /[A-Za-z_:\u00c0-\uffff][-A-Za-z0-9_:.\u00b7\u00c0-\uffff]*/y;
const SPACE = /[ \t\r\n]*/y;
/** XML 1.0 forbids C0 control characters other than tab, line feed and carriage return. */
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const PREDEFINED: Readonly<Record<string, string>> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
};

class Reader {
	private at = 0;
	readonly events: XmlEvent[] = [];

	constructor(private readonly source: string) {}

	fail(reason: string, at = this.at): never {
		const before = this.source.slice(0, at);
		const line = (before.match(/\n/g)?.length ?? 0) + 1;
		throw new XmlSyntaxError(reason, line, at - before.lastIndexOf('\n'));
	}

	private startsWith(text: string): boolean {
		return this.source.startsWith(text, this.at);
	}

	private skipSpace(): boolean {
		SPACE.lastIndex = this.at;
		SPACE.exec(this.source);
		const moved = SPACE.lastIndex > this.at;
		this.at = SPACE.lastIndex;
		return moved;
	}

	private name(what: string): string {
		NAME.lastIndex = this.at;
		const match = NAME.exec(this.source);
		if (!match) this.fail(`expected ${what}`);
		this.at = NAME.lastIndex;
		return match[0];
	}

	private until(end: string, what: string): string {
		const stop = this.source.indexOf(end, this.at);
		if (stop < 0) this.fail(`${what} is never closed with "${end}"`);
		const body = this.source.slice(this.at, stop);
		this.at = stop + end.length;
		return body;
	}

	/** Decodes `&...;` references; a bare `&` or an unknown entity is a fault (as in XML). */
	private decode(raw: string, offset: number): string {
		return raw.replace(
			/&([^;&<\s]*)(;?)/g,
			(whole, body: string, semicolon: string, index: number) => {
				const at = offset + index;
				if (!semicolon)
					this.fail('"&" must start a reference such as &amp; (write & as &amp;)', at);
				const named = PREDEFINED[body];
				if (named !== undefined) return named;
				const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
				const code = numeric ? parseInt(numeric[1] ?? numeric[2] ?? '', numeric[1] ? 16 : 10) : NaN;
				if (!numeric)
					this.fail(
						`unknown entity ${whole} (only &amp; &lt; &gt; &quot; &apos; and &#...; exist without a DTD)`,
						at,
					);
				if (!(code > 0 && code <= 0x10ffff) || FORBIDDEN_CHAR.test(String.fromCodePoint(code)))
					this.fail(`${whole} is not a character XML allows`, at);
				return String.fromCodePoint(code);
			},
		);
	}

	private attributes(): Map<string, string> {
		const attributes = new Map<string, string>();
		for (;;) {
			const spaced = this.skipSpace();
			if (this.startsWith('>') || this.startsWith('/>')) return attributes;
			if (!spaced)
				this.fail('expected white space, ">" or "/>" after the element name or attribute');
			const nameAt = this.at;
			const name = this.name('an attribute name');
			if (attributes.has(name)) this.fail(`attribute "${name}" appears twice`, nameAt);
			this.skipSpace();
			if (!this.startsWith('='))
				this.fail(`attribute "${name}" has no value (write ${name}="...")`);
			this.at++;
			this.skipSpace();
			const quote = this.source[this.at];
			if (quote !== '"' && quote !== "'") this.fail(`the value of "${name}" must be in quotes`);
			this.at++;
			const valueAt = this.at;
			const raw = this.until(quote, `the value of "${name}"`);
			if (raw.includes('<')) this.fail(`the value of "${name}" contains "<" (write &lt;)`, valueAt);
			attributes.set(name, this.decode(raw, valueAt));
		}
	}

	/** Comments and processing instructions: allowed anywhere, ignored. */
	private skipMisc(): boolean {
		if (this.startsWith('<!--')) {
			this.at += 4;
			if (this.until('-->', 'a comment').includes('--')) this.fail('"--" inside a comment');
			return true;
		}
		if (this.startsWith('<?')) {
			this.at += 2;
			const target = this.name('a processing instruction name');
			if (target.toLowerCase() === 'xml')
				this.fail('the XML declaration must come first, before anything else');
			this.until('?>', 'a processing instruction');
			return true;
		}
		return false;
	}

	private prolog(): void {
		if (this.source.charCodeAt(0) === 0xfeff) this.at = 1;
		if (/^<\?xml[ \t\r\n]/.test(this.source.slice(this.at, this.at + 6))) {
			this.at += 5;
			this.until('?>', 'the XML declaration');
		}
		for (;;) {
			this.skipSpace();
			if (this.startsWith('<!DOCTYPE'))
				this.fail('a DOCTYPE is not accepted (SSML needs none, and it could define entities)');
			if (!this.skipMisc()) return;
		}
	}

	private element(stack: string[]): void {
		const openAt = this.at;
		this.at++;
		const name = this.name('an element name after "<"');
		const attributes = this.attributes();
		const selfClosing = this.startsWith('/>');
		this.at += selfClosing ? 2 : 1;
		this.events.push({ kind: 'open', name, attributes, selfClosing });
		if (selfClosing) this.events.push({ kind: 'close', name });
		else stack.push(name);
		if (stack.length > 64) this.fail('elements are nested more than 64 deep', openAt);
	}

	private endTag(stack: string[]): void {
		const closeAt = this.at;
		this.at += 2;
		const name = this.name('an element name after "</"');
		this.skipSpace();
		if (!this.startsWith('>')) this.fail(`expected ">" to end </${name}`);
		this.at++;
		const open = stack.pop();
		if (open !== name)
			this.fail(open ? `</${name}> closes <${open}>` : `</${name}> closes nothing`, closeAt);
		this.events.push({ kind: 'close', name });
	}

	private text(): void {
		const start = this.at;
		const stop = this.source.indexOf('<', start);
		this.at = stop < 0 ? this.source.length : stop;
		const raw = this.source.slice(start, this.at);
		const cdataEnd = raw.indexOf(']]>');
		if (cdataEnd >= 0) this.fail('"]]>" in text (write ]]&gt;)', start + cdataEnd);
		this.events.push({ kind: 'text', text: this.decode(raw, start) });
	}

	/** The root element and everything inside it. */
	private root(): string {
		if (!this.startsWith('<') || this.startsWith('</'))
			this.fail(
				this.at >= this.source.length ? 'the document is empty' : 'expected the root element',
			);
		const stack: string[] = [];
		this.element(stack);
		const rootName = (this.events[0] as { name: string }).name;
		while (stack.length > 0) {
			if (this.at >= this.source.length)
				this.fail(`<${stack[stack.length - 1] as string}> is never closed`);
			if (this.startsWith('</')) this.endTag(stack);
			else if (this.startsWith('<![CDATA[')) {
				this.at += 9;
				this.events.push({ kind: 'text', text: this.until(']]>', 'a CDATA section') });
			} else if (this.skipMisc()) continue;
			else if (this.startsWith('<!'))
				this.fail('unexpected "<!" (only comments and CDATA are allowed here)');
			else if (this.startsWith('<')) this.element(stack);
			else this.text();
		}
		return rootName;
	}

	read(): string {
		const forbidden = FORBIDDEN_CHAR.exec(this.source);
		if (forbidden)
			this.fail(
				`control character U+${forbidden[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} is not allowed in XML`,
				forbidden.index,
			);
		this.prolog();
		const root = this.root();
		for (;;) {
			this.skipSpace();
			if (this.at >= this.source.length) return root;
			if (!this.skipMisc())
				this.fail(
					this.startsWith('<')
						? 'a second root element (everything must be inside one element)'
						: 'text after the root element',
				);
		}
	}
}

export type XmlReading =
	{ ok: true; root: string; events: XmlEvent[] } | { ok: false; fault: XmlSyntaxError };

/** Reads a whole document: its root's name and events, or the first fault. */
export function readXml(source: string): XmlReading {
	const reader = new Reader(source);
	try {
		const root = reader.read();
		return { ok: true, root, events: reader.events };
	} catch (error) {
		// Only XmlSyntaxError is thrown on purpose; anything else still must not escape as a crash.
		const fault =
			error instanceof XmlSyntaxError
				? error
				: new XmlSyntaxError(`the document could not be read (${String(error)})`, 1, 1);
		return { ok: false, fault };
	}
}

/** Escapes text for element content. */
export function escapeXmlText(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted attribute value. */
export function escapeXmlAttribute(text: string): string {
	return escapeXmlText(text).replace(/"/g, '&quot;');
}

/** Removes the characters XML 1.0 cannot carry at all (C0 controls other than tab and newlines). */
export function withoutForbiddenXmlChars(text: string): string {
	return text.replace(new RegExp(FORBIDDEN_CHAR.source, 'g'), '');
}
