import { WebhookRejection } from '../rejection';

/** One notification as InstaMed sent it: field name to value, flat. */
export type Fields = Record<string, string | null>;

// Names that would reach Object.prototype if a consumer ever assigned them naively.
const forbiddenNames = new Set(['__proto__', 'constructor', 'prototype']);

/** A field name fit for a reason phrase: printable ASCII, bounded. Names are not values, so they may be shown. */
export function quoteFieldName(name: string): string {
	const printable = name.replace(/[^\x20-\x7e]/g, '?');
	return `'${printable.length > 64 ? `${printable.slice(0, 61)}...` : printable}'`;
}

/** 400 for a name that could reach a prototype (`__proto__`, `constructor`, `prototype`). */
export function refuseForbiddenName(name: string): void {
	if (forbiddenNames.has(name)) {
		throw new WebhookRejection(400, `Field name ${quoteFieldName(name)} is not allowed`);
	}
}

/**
 * Builds the field map, refusing prototype names and conflicting repeats. Names are checked before
 * values are converted so that the reason names the real problem.
 */
export function collectFields<Raw>(
	entries: Iterable<readonly [string, Raw]>,
	toValue: (name: string, raw: Raw) => string | null,
): Fields {
	const collected = new Map<string, string | null>();
	for (const [name, raw] of entries) {
		refuseForbiddenName(name);
		const value = toValue(name, raw);
		if (collected.has(name) && collected.get(name) !== value) {
			throw new WebhookRejection(
				400,
				`Field ${quoteFieldName(name)} repeated with different values`,
			);
		}
		collected.set(name, value);
	}
	// fromEntries defines own properties, so no name can reach a prototype.
	return Object.fromEntries(collected);
}

// Lower-cased name -> the first name with that spelling, for the field map looked up last.
// Routing, the required fields and the item look up some twenty names of one message in a row,
// several of which it often lacks (payment plan fields); scanning every name for each of them cost
// more than parsing. One entry is enough (a message's lookups run together) and, unlike a
// WeakMap, costs the garbage collector nothing. A field map is not changed after it is parsed.
let indexedFields: Fields | undefined;
let lowerCaseNames = new Map<string, string>();

function lowerCaseIndex(fields: Fields): Map<string, string> {
	if (indexedFields !== fields) {
		const index = new Map<string, string>();
		for (const candidate of Object.keys(fields)) {
			const lower = candidate.toLowerCase();
			if (!index.has(lower)) index.set(lower, candidate);
		}
		indexedFields = fields;
		lowerCaseNames = index;
	}
	return lowerCaseNames;
}

/** A field's value by exact name, else by case-insensitive name; undefined when absent. */
export function lookupField(fields: Fields, name: string): string | null | undefined {
	if (Object.hasOwn(fields, name)) return fields[name];
	const match = lowerCaseIndex(fields).get(name.toLowerCase());
	return match === undefined ? undefined : fields[match];
}
