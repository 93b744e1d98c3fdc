import { hash } from 'crypto';

// A character JSON.stringify may escape: a control, quote, backslash or surrogate (it keeps a
// valid pair; being broader only costs time, as the escaping itself is JSON.stringify's). Written
// as the characters it never escapes, since lint refuses control characters in a pattern.
const ESCAPED = /[^\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]/;

/** A string as JSON.stringify writes it, without the quotes around it. */
function jsonStringBody(text: string): string {
	return ESCAPED.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/**
 * The text before a value in the hashed pairs: `"],["name","`. Callers keep the prefixes of the
 * names they use every time, so that a message's text is two pieces per field.
 */
export function pairPrefix(name: string): string {
	return `"],["${jsonStringBody(name)}","`;
}

/**
 * The hashed text so far with one more pair, given as its name's pairPrefix and its value; '' is
 * the text before the first pair. `plain` says the value needs no escaping (the caller knows).
 */
export function appendPair(text: string, prefix: string, value: string, plain = false): string {
	const written = plain ? value : jsonStringBody(value);
	// The first pair opens the list instead of closing a previous pair (the prefix's `"],`).
	return text === '' ? `[${prefix.slice(3)}${written}` : text + prefix + written;
}

/**
 * SHA-256 (hex) of JSON.stringify of [name, value] pairs, the text written by appendPair: the
 * content hash and the event key. JSON keeps name/value boundaries unambiguous, so distinct pairs
 * cannot collide by concatenation. Written directly, at a fraction of JSON.stringify's cost.
 */
export function hashPairText(text: string): string {
	return hash('sha256', text === '' ? '[]' : `${text}"]]`, 'hex');
}
