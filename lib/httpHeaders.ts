/** Helpers for HTTP answers as n8n's request helpers and fetch hand them over. */

/** Header objects arrive as AxiosHeaders, plain objects or arrays: flatten to lower-case strings. */
export function flattenHeaders(headers: unknown): Record<string, string> {
	const flat: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return flat;
	const source =
		typeof (headers as { toJSON?: unknown }).toJSON === 'function'
			? ((headers as { toJSON: () => unknown }).toJSON() as Record<string, unknown>)
			: (headers as Record<string, unknown>);
	for (const [name, value] of Object.entries(source)) {
		if (value === undefined || value === null) continue;
		flat[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return flat;
}

/** Response bodies may come back parsed (the helpers parse JSON eagerly): msal wants the raw text. */
export function bodyAsText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}
