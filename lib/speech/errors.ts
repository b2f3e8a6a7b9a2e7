/**
 * The speech layer's one error type. Its message is written for the person who filled in the
 * form or the credential (it names the field as they see it) and never contains a key, a token
 * or the text of a prompt beyond a short quote of the part that is wrong.
 */
/**
 * What went wrong, for callers that branch on it. Named `kind`, not `code`: n8n reads an error's
 * `code` as a network error code (its credential test shows it instead of the message).
 */
export type SpeechErrorKind =
	/** A field's value is wrong; `field` names it. Found before any engine or network work. */
	| 'badInput'
	/** Over one of the bounds in limits.ts; the message says which and where it comes from. */
	| 'tooLong'
	/** The offline engine's files are missing (package not installed). */
	| 'engineMissing'
	/** The offline engine ran and failed. */
	| 'engineFailed'
	/** Azure refused the key, token or Entra ID identity (401, 403). */
	| 'notAuthorized'
	/** Azure refused the request itself (400, 404, 415): SSML, voice, address. */
	| 'refused'
	/** Azure throttled (429) and the retry budget ran out. */
	| 'throttled'
	/** Azure answered 5xx. */
	| 'serviceError'
	/** No answer: DNS, TLS, connection, timeout. */
	| 'network'
	/** An answer that is not audio in a format this package can convert. */
	| 'badAudio'
	/** The caller's AbortSignal fired. */
	| 'aborted';

export class SpeechError extends Error {
	constructor(
		readonly kind: SpeechErrorKind,
		message: string,
		readonly details: {
			/** The field to fix, as the form or credential shows it ("Text", "SSML", "Region"...). */
			field?: string;
			/** HTTP status of Azure's answer, when there was one. */
			status?: number;
			cause?: unknown;
		} = {},
	) {
		super(message, details.cause === undefined ? undefined : { cause: details.cause });
		this.name = 'SpeechError';
	}

	get field(): string | undefined {
		return this.details.field;
	}
}
