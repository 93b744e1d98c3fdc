import { fieldKind } from '../format/fieldCatalogue';
import type { Fields } from '../format/fields';

// InstaMed does not publish the names of its AVS, CVV, EMV and track fields, so match by prefix.
const cardFieldPrefixes = ['cardholder', 'avs', 'cvv', 'cvn', 'emv', 'track'];

/** Case-insensitive, because unknown NVP names keep the casing they were sent in. */
export function isCardOrBankField(name: string): boolean {
	const kind = fieldKind(name);
	const lowerName = name.toLowerCase();
	return (
		kind === 'card' ||
		kind === 'bank' ||
		cardFieldPrefixes.some((prefix) => lowerName.startsWith(prefix))
	);
}

/** The fields without card and bank account data. */
export function omitCardData(fields: Fields): Fields {
	return Object.fromEntries(Object.entries(fields).filter(([name]) => !isCardOrBankField(name)));
}
