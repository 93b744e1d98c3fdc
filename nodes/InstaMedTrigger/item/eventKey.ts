import { createHash } from 'crypto';

import type { Fields } from '../format/fields';

/**
 * SHA-256 (hex) over every field: names lower-cased, values trimmed, null as ''. Names are
 * lower-cased and values trimmed so that one message hashes the same in JSON, XML and NVP, where
 * name casing and whitespace handling differ; re-deliveries of it hash the same too.
 */
export function computeEventKey(fields: Fields): string {
	const entries = Object.entries(fields)
		.map(([name, value]) => [name.toLowerCase(), (value ?? '').trim()])
		.sort(([nameA, valueA], [nameB, valueB]) =>
			nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
		);
	// JSON keeps name/value boundaries unambiguous, so distinct field sets cannot collide by concatenation.
	return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
