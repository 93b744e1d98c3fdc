import { createHash } from 'crypto';

import type { Fields } from '../format/fields';

/**
 * SHA-256 (hex) over every field that has a value: names lower-cased, values trimmed, null, empty
 * and absent alike (JSON sends null where XML and NVP leave the field out). Equal for the same
 * content in any format; unlike the eventKey it changes with any field, delivery state included.
 */
export function computeContentHash(fields: Fields): string {
	const entries = Object.entries(fields)
		.map(([name, value]) => [name.toLowerCase(), (value ?? '').trim()])
		.filter(([, value]) => value !== '')
		.sort(([nameA, valueA], [nameB, valueB]) =>
			nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
		);
	// JSON keeps name/value boundaries unambiguous, so distinct field sets cannot collide by concatenation.
	return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
