import { WebhookRejection } from '../rejection';
import type { BodyFormat } from './detect';
import { rankOfLowerName, rankOfSpelling, sortedLowerNames } from './fieldCatalogue';
import {
	describeField,
	FIELD_LIMITS,
	isWellFormed,
	refuseBadName,
	refuseUnstorableValue,
	tooManyFields,
	type FieldEntry,
	type Fields,
} from './fields';

/**
 * One parsed notification and what its consumers (required fields, routing, the item and its two
 * hashes) need to know about its names, computed once when it is parsed and passed along.
 * The lists give each name's facts at its index.
 */
export interface Message {
	readonly format: BodyFormat;
	readonly fields: Fields;
	readonly names: readonly string[];
	readonly lowerNames: readonly string[];
	readonly values: ReadonlyArray<string | null>;
	/** The rank among the known names (sortedLowerNames), undefined for an unknown name. */
	readonly ranks: ReadonlyArray<number | undefined>;
	/** Lower-cased name -> index of the first name with that spelling. */
	readonly indexByLowerName: ReadonlyMap<string, number>;
	/** No value holds a character JSON.stringify escapes: the hashes write values unchanged. */
	readonly plainValues: boolean;
}

// A control character, quote or backslash, which JSON.stringify escapes. Written as the
// characters it keeps, since lint refuses control characters in a pattern.
const ESCAPED = /[^\u0020\u0021\u0023-\u005b\u005d-\uffff]/;

/** Whether JSON.stringify writes the text unchanged: nothing ESCAPED and no lone surrogate. */
export function isPlainText(text: string): boolean {
	return !ESCAPED.test(text) && isWellFormed(text);
}

/** A name lower-cased; a known name spelled as InstaMed does is found without lower-casing it. */
function lowerNameOf(name: string): string {
	const rank = rankOfSpelling(name);
	return rank === undefined ? name.toLowerCase() : sortedLowerNames[rank];
}

/**
 * The message of a parser's fields, checked: names neither prototype names nor overlong, no NUL
 * or lone surrogate, at most FIELD_LIMITS.fields. Names are one name whatever their letter case
 * (NVP's rule, now every format's): a repeat with the same value collapses into the first, a
 * repeat with another value is refused, since either could be the real one. The lists are in the
 * order of the body.
 */
export function collectMessage(format: BodyFormat, entries: readonly FieldEntry[]): Message {
	if (entries.length > FIELD_LIMITS.fields) throw tooManyFields();
	const names: string[] = [];
	const lowerNames: string[] = [];
	const values: Array<string | null> = [];
	const indexByLowerName = new Map<string, number>();
	// Values are well-formed once checked, so plain text is text with nothing ESCAPED.
	let plainValues = true;
	for (let i = 0; i < entries.length; i++) {
		const [name, value] = entries[i];
		refuseBadName(name, i + 1);
		if (value !== null) refuseUnstorableValue(value, name, i + 1);
		const lowerName = lowerNameOf(name);
		const seen = indexByLowerName.get(lowerName);
		if (seen === undefined) {
			indexByLowerName.set(lowerName, names.length);
			names.push(name);
			lowerNames.push(lowerName);
			values.push(value);
			if (plainValues && value !== null && ESCAPED.test(value)) plainValues = false;
		} else if (values[seen] !== value) {
			throw new WebhookRejection(
				400,
				`${describeField(name, i + 1)} repeated with different values`,
			);
		}
	}
	// Plain assignment (a third of Object.fromEntries' cost) is safe: refuseBadName refused
	// `__proto__`, the one name that would set the prototype instead of a field.
	const fields: Fields = {};
	for (let i = 0; i < names.length; i++) fields[names[i]] = values[i];
	return withRanks({ format, fields, names, lowerNames, values, indexByLowerName, plainValues });
}

/**
 * The message of a field map as it is, unchecked: for field maps built in code (tests, tools).
 * A name repeated in another letter case is kept; lookups then find the first.
 */
export function indexFields(format: BodyFormat, fields: Fields): Message {
	const names = Object.keys(fields);
	const lowerNames = names.map(lowerNameOf);
	const values = names.map((name) => fields[name]);
	const indexByLowerName = new Map<string, number>();
	lowerNames.forEach((lowerName, i) => {
		if (!indexByLowerName.has(lowerName)) indexByLowerName.set(lowerName, i);
	});
	const plainValues = values.every((value) => value === null || isPlainText(value));
	return withRanks({ format, fields, names, lowerNames, values, indexByLowerName, plainValues });
}

/** The message with each name's rank among the known names, derived here once for both makers. */
function withRanks(message: Omit<Message, 'ranks'>): Message {
	return { ...message, ranks: message.lowerNames.map(rankOfLowerName) };
}

/**
 * A field's value by name, in any letter case; undefined when absent. A parsed message holds each
 * name once; in a field map built in code the exact name wins, else the first in another case.
 */
export function lookupField(message: Message, name: string): string | null | undefined {
	if (Object.hasOwn(message.fields, name)) return message.fields[name];
	const index = message.indexByLowerName.get(lowerNameOf(name));
	return index === undefined ? undefined : message.values[index];
}
