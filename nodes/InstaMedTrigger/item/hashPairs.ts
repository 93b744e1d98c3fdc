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
 * SHA-256 (hex) of JSON.stringify of [name, value] pairs, given as each name's pairPrefix and the
 * values: the content hash and the event key. JSON keeps name/value boundaries unambiguous, so
 * distinct pairs cannot collide by concatenation. The text is written directly, at a fraction of
 * JSON.stringify's cost.
 */
export function hashPairs(prefixes: readonly string[], values: readonly string[]): string {
	let text = '[]';
	if (values.length > 0) {
		// The first prefix without the `"],` that closes a previous pair.
		text = `[${prefixes[0].slice(3)}`;
		text += jsonStringBody(values[0]);
		for (let i = 1; i < values.length; i++) {
			text += prefixes[i];
			text += jsonStringBody(values[i]);
		}
		text += '"]]';
	}
	return hash('sha256', text, 'hex');
}
