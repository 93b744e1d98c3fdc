import { WebhookRejection } from '../rejection';
import { canonicalFieldName } from './fieldCatalogue';
import { collectFields, quoteFieldName, type Fields } from './fields';

function decodeFormComponent(component: string, where: string): string {
	const decoded = tryDecodeUriComponent(component.replace(/\+/g, ' '));
	if (decoded === undefined) {
		throw new WebhookRejection(400, `Malformed form encoding: bad percent escape in ${where}`);
	}
	return decoded;
}

function tryDecodeUriComponent(component: string): string | undefined {
	try {
		return decodeURIComponent(component);
	} catch {
		return undefined;
	}
}

function decodePair(pair: string): [string, string] {
	const separator = pair.indexOf('=');
	const encodedName = separator === -1 ? pair : pair.slice(0, separator);
	const name = decodeFormComponent(encodedName, 'a field name');
	if (name === '') throw new WebhookRejection(400, 'Form body has a field with no name');
	const encodedValue = separator === -1 ? '' : pair.slice(separator + 1);
	return [name, decodeFormComponent(encodedValue, `field ${quoteFieldName(name)}`)];
}

/**
 * application/x-www-form-urlencoded as fields, known names in InstaMed's casing. Repeats collapse
 * when equal and are refused when they differ, since either value could be the real one.
 */
export function parseNvp(text: string): Fields {
	// Spaces are encoded in form bodies, so whitespace at the ends is transport noise (a trailing newline).
	const pairs = text
		.trim()
		.split('&')
		.filter((pair) => pair !== '')
		.map(decodePair);
	if (pairs.length === 0) throw new WebhookRejection(400, 'Form body has no fields');
	return collectFields(
		pairs.map(([name, value]) => [canonicalFieldName(name), value] as const),
		(_name, value) => value,
	);
}
