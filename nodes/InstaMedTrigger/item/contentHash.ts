import { sortedLowerNames } from '../format/fieldCatalogue';
import type { Message } from '../format/message';
import { appendPair, hashPairText, pairPrefix } from './hashPairs';

// The known names' pair prefixes by rank: a message's known names are put in their place by rank
// instead of sorted, which cost more than hashing the whole text.
const knownPrefixes = sortedLowerNames.map(pairPrefix);

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
 * others sorted among them. Undefined when a name repeats in another casing (a parsed message
 * never does; a field map built in code may): then the values decide the order (textBySort).
 */
function textByRank(
	{ lowerNames, ranks, plainValues }: Message,
	values: string[],
): string | undefined {
	// Which field holds each rank, -1 for none.
	const fieldAtRank = new Int32Array(sortedLowerNames.length).fill(-1);
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
		text = appendPair(text, pairPrefix(lowerNames[i]), values[i], plainValues);
	};
	for (let rank = 0; rank < fieldAtRank.length; rank++) {
		const i = fieldAtRank[rank];
		if (i < 0) continue;
		while (next < others.length && lowerNames[others[next]] < sortedLowerNames[rank]) appendOther();
		text = appendPair(text, knownPrefixes[rank], values[i], plainValues);
	}
	while (next < others.length) appendOther();
	return text;
}

/** The hashed text of the fields with a value sorted by name, then value. */
function textBySort(lowerNames: readonly string[], values: string[]): string {
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
export function computeContentHash(message: Message): string {
	const values = message.values.map(trimmedValue);
	return hashPairText(textByRank(message, values) ?? textBySort(message.lowerNames, values));
}
