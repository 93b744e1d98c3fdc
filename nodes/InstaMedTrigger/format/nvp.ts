import { WebhookRejection } from '../rejection';
import { canonicalFieldName } from './fieldCatalogue';
import { describeField, FIELD_LIMITS, tooManyFields, type FieldEntry } from './fields';

function tryDecodeUriComponent(component: string): string | undefined {
	try {
		return decodeURIComponent(component.replace(/\+/g, ' '));
	} catch {
		return undefined;
	}
}

function decodePair(pair: string, index: number): FieldEntry {
	const position = index + 1;
	const separator = pair.indexOf('=');
	const name = tryDecodeUriComponent(separator === -1 ? pair : pair.slice(0, separator));
	if (name === undefined) {
		throw new WebhookRejection(
			400,
			`Malformed form encoding: bad percent escape in the name of Field ${position}`,
		);
	}
	if (name === '') throw new WebhookRejection(400, 'Form body has a field with no name');
	const value = tryDecodeUriComponent(separator === -1 ? '' : pair.slice(separator + 1));
	if (value === undefined) {
		throw new WebhookRejection(
			400,
			`Malformed form encoding: bad percent escape in ${describeField(name, position)}`,
		);
	}
	return [canonicalFieldName(name), value];
}

/** The number of non-empty pairs, counted up to one past the limit without cutting the text. */
function countPairs(text: string): number {
	let count = 0;
	let start = 0;
	while (start <= text.length && count <= FIELD_LIMITS.fields) {
		const end = text.indexOf('&', start);
		const stop = end === -1 ? text.length : end;
		if (stop > start) count++;
		start = stop + 1;
	}
	return count;
}

/** application/x-www-form-urlencoded as fields, known names in InstaMed's casing. */
export function parseNvp(text: string): FieldEntry[] {
	// Spaces are encoded in form bodies, so whitespace at the ends is transport noise (a trailing newline).
	const trimmed = text.trim();
	const count = countPairs(trimmed);
	if (count === 0) throw new WebhookRejection(400, 'Form body has no fields');
	if (count > FIELD_LIMITS.fields) throw tooManyFields();
	return trimmed
		.split('&')
		.filter((pair) => pair !== '')
		.map(decodePair);
}
