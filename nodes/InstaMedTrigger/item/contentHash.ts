import { sortedLowerNames } from '../format/fieldCatalogue';
import { fieldNames, type FieldNames, type Fields } from '../format/fields';
import { hashPairs, pairPrefix } from './hashPairs';

// The known names' pair prefixes by rank: a message's known names are put in their place by rank
// instead of sorted, which cost more than hashing the whole text.
const knownPrefixes = sortedLowerNames.map(pairPrefix);

/** The pairs to hash: each name's pair prefix and the values, in the hashed order. */
interface Pairs {
	prefixes: string[];
	values: string[];
}

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
 * The fields with a value in name order: known names placed by their rank, the others sorted
 * among them. Undefined when a name repeats in another casing: then the values decide the order
 * (pairsBySort).
 */
function pairsByRank({ lowerNames, ranks }: FieldNames, values: string[]): Pairs | undefined {
	const byRank = new Array<number | undefined>(sortedLowerNames.length);
	const others: number[] = [];
	for (let i = 0; i < values.length; i++) {
		if (values[i] === '') continue;
		const rank = ranks[i];
		if (rank === undefined) others.push(i);
		else if (byRank[rank] !== undefined) return undefined;
		else byRank[rank] = i;
	}
	others.sort((a, b) => compare(lowerNames[a], lowerNames[b]));
	for (let k = 1; k < others.length; k++) {
		if (lowerNames[others[k]] === lowerNames[others[k - 1]]) return undefined;
	}
	const pairs: Pairs = { prefixes: [], values: [] };
	const addOther = (i: number) => {
		pairs.prefixes.push(pairPrefix(lowerNames[i]));
		pairs.values.push(values[i]);
	};
	let next = 0;
	for (let rank = 0; rank < byRank.length; rank++) {
		const i = byRank[rank];
		if (i === undefined) continue;
		while (next < others.length && lowerNames[others[next]] < sortedLowerNames[rank]) {
			addOther(others[next++]);
		}
		pairs.prefixes.push(knownPrefixes[rank]);
		pairs.values.push(values[i]);
	}
	while (next < others.length) addOther(others[next++]);
	return pairs;
}

/** The fields with a value sorted by name, then value. */
function pairsBySort(lowerNames: string[], values: string[]): Pairs {
	const order: number[] = [];
	for (let i = 0; i < values.length; i++) if (values[i] !== '') order.push(i);
	order.sort((a, b) => compare(lowerNames[a], lowerNames[b]) || compare(values[a], values[b]));
	return {
		prefixes: order.map((i) => pairPrefix(lowerNames[i])),
		values: order.map((i) => values[i]),
	};
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
	const { prefixes, values: sorted } =
		pairsByRank(names, values) ?? pairsBySort(names.lowerNames, values);
	return hashPairs(prefixes, sorted);
}
