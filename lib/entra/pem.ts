/**
 * PEM text as it arrives from n8n's credential form, made readable again.
 *
 * A password box is a one-line `<input>`: a browser removes the line breaks from text pasted
 * into it (n8n 1.123 renders a `password: true` field as such a box even with `rows`), and
 * other routes (a copy from a web page, an environment variable, a JSON export) turn them into
 * spaces, CRLF or the two characters `\n`. OpenSSL, and so Node's crypto, reads a PEM block
 * only with its header, body and footer on separate lines, so such a paste would be refused
 * although every character of the key is there. The base64 body of a block cannot contain
 * whitespace or a backslash, so dropping them from it and re-wrapping it is lossless.
 */

/** `-----BEGIN <label>-----` … `-----END <same label>-----`, whatever lies between. */
const BLOCK = /-----BEGIN ([A-Z0-9][A-Z0-9 ]*[A-Z0-9])-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Whitespace (CR, LF, spaces, tabs, non-breaking spaces) and literal `\n` / `\r` sequences. */
const NOISE = /\\[rn]|\s/g;

/**
 * Every PEM block of `text`, each rebuilt with its header, its body in 64-character lines and
 * its footer on lines of their own; text outside the blocks (e.g. openssl's "Bag Attributes")
 * is dropped. A block whose body is not plain base64 (an encrypted PKCS#1 key's
 * "Proc-Type:" headers) is kept as it was, so the parser's refusal names the real problem.
 * Text without any PEM block comes back trimmed and unchanged.
 */
export function rebuildPem(text: string): string {
	const blocks: string[] = [];
	for (const match of text.matchAll(BLOCK)) {
		const [whole, label = '', body = ''] = match;
		const base64 = body.replace(NOISE, '');
		blocks.push(BASE64.test(base64) ? wrap(label, base64) : whole);
	}
	return blocks.length === 0 ? text.trim() : blocks.join('\n');
}

function wrap(label: string, base64: string): string {
	const lines = base64.match(/.{1,64}/g) ?? [];
	return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
}
