import { sortedLowerNames } from '../format/fieldCatalogue';
import { fieldNames, type FieldNames, type Fields } from '../format/fields';
import { appendPair, hashPairText, pairPrefix } from './hashPairs';

// The known names' pair prefixes by rank: a message's known names are put in their place by rank
// instead of sorted, which cost more than hashing the whole text.
const knownPrefixes = sortedLowerNames.map(pairPrefix);

// Which field of the message holds each rank, -1 for none: one table reused for every message
// (a hash runs to its end before the next), since allocating it cost as much as filling it.
const fieldAtRank = new Int32Array(sortedLowerNames.length);

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** The value trimmed, '' for null; `trim` is skipped when both ends are printable ASCII (the usual value). */
function trimmedValue(value: string | null): string {
	if (value === null || value === '') return '';
	const first = value.charCodeAt(0);
	const last = value.charCodeAt(value.length - 1);
	return first > 32 && first < 127 && last > 32 && last < 127 ? value : value.trim();
}

/**
 * The hashed text of the fields with a value in name order: known names placed by their rank, the
 * others sorted among them. Undefined when a name repeats in another casing: then the values
 * decide the order (textBySort).
 */
function textByRank(
	{ lowerNames, ranks }: FieldNames,
	values: string[],
	plain: boolean,
): string | undefined {
	fieldAtRank.fill(-1);
	const others: number[] = [];
	for (let i = 0; i < values.length; i++) {
		if (values[i] === '') continue;
		const rank = ranks[i];
		if (rank === undefined) others.push(i);
		else if (fieldAtRank[rank] >= 0) return undefined;
		else fieldAtRank[rank] = i;
	}
	if (others.length > 1) {
		others.sort((a, b) => compare(lowerNames[a], lowerNames[b]));
		for (let k = 1; k < others.length; k++) {
			if (lowerNames[others[k]] === lowerNames[others[k - 1]]) return undefined;
		}
	}
	let text = '';
	let next = 0;
	const appendOther = () => {
		const i = others[next++];
		text = appendPair(text, pairPrefix(lowerNames[i]), values[i], plain);
	};
	for (let rank = 0; rank < fieldAtRank.length; rank++) {
		const i = fieldAtRank[rank];
		if (i < 0) continue;
		while (next < others.length && lowerNames[others[next]] < sortedLowerNames[rank]) appendOther();
		text = appendPair(text, knownPrefixes[rank], values[i], plain);
	}
	while (next < others.length) appendOther();
	return text;
}

/** The hashed text of the fields with a value sorted by name, then value. */
function textBySort(lowerNames: string[], values: string[]): string {
	const order: number[] = [];
	for (let i = 0; i < values.length; i++) if (values[i] !== '') order.push(i);
	order.sort((a, b) => compare(lowerNames[a], lowerNames[b]) || compare(values[a], values[b]));
	return order.reduce((text, i) => appendPair(text, pairPrefix(lowerNames[i]), values[i]), '');
}

/**
 * SHA-256 (hex) over every field that has a value: names lower-cased, values trimmed, null, empty
 * and absent alike (JSON sends null where XML and NVP leave the field out). Equal for the same
 * content in any format; unlike the eventKey it changes with any field, delivery state included.
 * The hashed text is JSON.stringify of the [name, value] pairs sorted by name, then value.
 */
export function computeContentHash(fields: Fields): string {
	const names = fieldNames(fields);
	// In the order of Object.keys, as the names are, and cheaper than reading each by its name.
	const values = Object.values(fields).map(trimmedValue);
	return hashPairText(
		textByRank(names, values, names.plainValues) ?? textBySort(names.lowerNames, values),
	);
}
