import { kindOfLowerName, sortedLowerNames } from '../format/fieldCatalogue';
import type { Fields } from '../format/fields';
import type { Message } from '../format/message';

// InstaMed does not publish the names of its AVS, CVV, EMV and track fields, so match by prefix.
const cardFieldPrefixes = ['cardholder', 'avs', 'cvv', 'cvn', 'emv', 'track'];

function isCardOrBankLowerName(lowerName: string): boolean {
	const kind = kindOfLowerName(lowerName);
	return (
		kind === 'card' ||
		kind === 'bank' ||
		cardFieldPrefixes.some((prefix) => lowerName.startsWith(prefix))
	);
}

// Decided once for the known names, by their rank in the field index.
const knownCardOrBank = sortedLowerNames.map(isCardOrBankLowerName);

/** Case-insensitive, because unknown NVP names keep the casing they were sent in. */
export function isCardOrBankField(name: string): boolean {
	return isCardOrBankLowerName(name.toLowerCase());
}

/** The fields without card and bank account data. */
export function omitCardData({ fields, names, lowerNames, ranks }: Message): Fields {
	// A copy less those names: rebuilding the map from the names kept cost several times more.
	const kept = { ...fields };
	for (let i = 0; i < names.length; i++) {
		const rank = ranks[i];
		if (rank === undefined ? isCardOrBankLowerName(lowerNames[i]) : knownCardOrBank[rank]) {
			delete kept[names[i]];
		}
	}
	return kept;
}
