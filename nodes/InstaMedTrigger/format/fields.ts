import { WebhookRejection } from '../rejection';
import { rankOfLowerName, rankOfSpelling, sortedLowerNames } from './fieldCatalogue';

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

/** refuseForbiddenName for each of an object's own names, in order; a lookup per forbidden name. */
export function refuseForbiddenNames(object: object, names: readonly string[]): void {
	for (const name of forbiddenNames) {
		if (Object.hasOwn(object, name)) names.forEach(refuseForbiddenName);
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

/** A field map's names in Object.keys order; the other lists give each name's facts at its index. */
export interface FieldNames {
	names: string[];
	lowerNames: string[];
	/** The rank among the known names (sortedLowerNames), undefined for an unknown name. */
	ranks: Array<number | undefined>;
	/**
	 * No name is a known field in other than InstaMed's spelling, as in InstaMed's own messages and
	 * every NVP message: then a known name missing by its exact spelling is absent in any casing.
	 */
	knownNamesExact: boolean;
	/**
	 * Every value is text JSON.stringify writes unchanged (no quote, backslash, control character
	 * or lone surrogate), as its parser found cheaply (markPlainValues); false when not known.
	 */
	plainValues: boolean;
	/** Lower-cased name -> the first name with that spelling; built when first needed. */
	firstByLowerName?: Map<string, string>;
}

// The names of the field map looked up last. Routing, the required fields and the item look up
// some twenty names of one message in a row, several of which it often lacks (payment plan
// fields), and the content hash needs every name lower-cased; scanning every name for each of them
// cost more than parsing. One entry is enough (a message's lookups run together) and, unlike a
// WeakMap, costs the garbage collector nothing. A field map is not changed after it is parsed.
let indexedFields: Fields | undefined;
let indexedNames: FieldNames = {
	names: [],
	lowerNames: [],
	ranks: [],
	knownNamesExact: true,
	plainValues: false,
};

/** The names of a field map with their lower-cased forms and ranks, computed once per field map. */
export function fieldNames(fields: Fields): FieldNames {
	if (indexedFields !== fields) {
		indexedNames = indexNames(Object.keys(fields));
		indexedFields = fields;
	}
	return indexedNames;
}

function indexNames(names: string[]): FieldNames {
	const lowerNames = new Array<string>(names.length);
	const ranks = new Array<number | undefined>(names.length);
	let knownNamesExact = true;
	for (let i = 0; i < names.length; i++) {
		const rank = rankOfSpelling(names[i]);
		if (rank !== undefined) {
			lowerNames[i] = sortedLowerNames[rank];
			ranks[i] = rank;
		} else {
			lowerNames[i] = names[i].toLowerCase();
			ranks[i] = rankOfLowerName(lowerNames[i]);
			// A known name in another spelling.
			if (ranks[i] !== undefined) knownNamesExact = false;
		}
	}
	return { names, lowerNames, ranks, knownNamesExact, plainValues: false };
}

/**
 * Records that every value of a field map is plain text (FieldNames.plainValues): the hashes
 * then skip looking for characters to escape in each value.
 */
export function markPlainValues(fields: Fields): void {
	fieldNames(fields).plainValues = true;
}

function firstByLowerName(index: FieldNames): Map<string, string> {
	if (index.firstByLowerName === undefined) {
		const map = new Map<string, string>();
		for (let i = 0; i < index.names.length; i++) {
			if (!map.has(index.lowerNames[i])) map.set(index.lowerNames[i], index.names[i]);
		}
		index.firstByLowerName = map;
	}
	return index.firstByLowerName;
}

/** A field's value by exact name, else by case-insensitive name; undefined when absent. */
export function lookupField(fields: Fields, name: string): string | null | undefined {
	if (Object.hasOwn(fields, name)) return fields[name];
	const index = fieldNames(fields);
	if (index.knownNamesExact && rankOfSpelling(name) !== undefined) return undefined;
	const match = firstByLowerName(index).get(name.toLowerCase());
	return match === undefined ? undefined : fields[match];
}
