import { createHash } from 'crypto';

import type { Fields } from '../format/fields';

/** Whether JSON.stringify would escape a character of the text (quote, backslash, controls, surrogates). */
function needsEscape(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
			return true;
		}
	}
	return false;
}

/** `value.trim()`, without the call when both ends are printable ASCII (the usual value). */
function trimmed(value: string): string {
	const first = value.charCodeAt(0);
	const last = value.charCodeAt(value.length - 1);
	return first > 32 && first < 127 && last > 32 && last < 127 ? value : value.trim();
}

/**
 * SHA-256 (hex) over every field that has a value: names lower-cased, values trimmed, null, empty
 * and absent alike (JSON sends null where XML and NVP leave the field out). Equal for the same
 * content in any format; unlike the eventKey it changes with any field, delivery state included.
 *
 * The hashed text is JSON.stringify of the [name, value] pairs sorted by name, then value; JSON
 * keeps name/value boundaries unambiguous, so distinct field sets cannot collide by
 * concatenation. The usual message (names distinct once lower-cased, nothing to escape) has that
 * text written directly, at a fraction of the cost; the rest takes JSON.stringify itself.
 */
export function computeContentHash(fields: Fields): string {
	const values = new Map<string, string>();
	let every = '';
	for (const name of Object.keys(fields)) {
		const raw = fields[name];
		if (raw === null || raw === '') continue;
		const value = trimmed(raw);
		if (value === '') continue;
		const lower = name.toLowerCase();
		if (values.has(lower)) return hashText(generalText(fields));
		values.set(lower, value);
		every += lower;
		every += value;
	}
	if (needsEscape(every)) return hashText(generalText(fields));
	const names = [...values.keys()].sort();
	let text = '[';
	for (let i = 0; i < names.length; i++) {
		text += `${i === 0 ? '' : ','}["${names[i]}","${values.get(names[i])}"]`;
	}
	return hashText(`${text}]`);
}

function hashText(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** The hashed text for any field map: repeated lower-case names ordered by value, escapes. */
function generalText(fields: Fields): string {
	const entries = Object.entries(fields)
		.map(([name, value]) => [name.toLowerCase(), (value ?? '').trim()])
		.filter(([, value]) => value !== '')
		.sort(([nameA, valueA], [nameB, valueB]) =>
			nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
		);
	return JSON.stringify(entries);
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
