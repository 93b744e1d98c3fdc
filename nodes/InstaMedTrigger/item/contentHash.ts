import { createHash } from 'crypto';

import type { Fields } from '../format/fields';

/**
 * SHA-256 (hex) over every field that has a value: names lower-cased, values trimmed, null, empty
 * and absent alike (JSON sends null where XML and NVP leave the field out). Equal for the same
 * content in any format; unlike the eventKey it changes with any field, delivery state included.
 */
export function computeContentHash(fields: Fields): string {
	const entries: Array<[string, string]> = [];
	for (const name of Object.keys(fields)) {
		const value = (fields[name] ?? '').trim();
		if (value !== '') entries.push([name.toLowerCase(), value]);
	}
	entries.sort(byNameThenValue);
	// JSON keeps name/value boundaries unambiguous, so distinct field sets cannot collide by
	// concatenation. Written pair by pair: the same text as JSON.stringify(entries), at a third of
	// its cost.
	let text = '[';
	for (let i = 0; i < entries.length; i++) {
		text += `${i === 0 ? '' : ','}[${JSON.stringify(entries[i][0])},${JSON.stringify(entries[i][1])}]`;
	}
	return createHash('sha256').update(`${text}]`).digest('hex');
}

function byNameThenValue(a: [string, string], b: [string, string]): number {
	if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
