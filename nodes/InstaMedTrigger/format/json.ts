import { WebhookRejection } from '../rejection';
import {
	collectFields,
	markPlainValues,
	quoteFieldName,
	refuseForbiddenNames,
	type Fields,
} from './fields';

/**
 * V8's messages for some syntax errors quote the body around the error; a reason must not echo
 * the body, so those become a bare description.
 */
function describeJsonSyntaxError(message: string): string {
	if (message.includes('end of JSON input')) return 'Unexpected end of input';
	if (message.includes('is not valid JSON')) {
		return message.startsWith('Unexpected token') ? 'Unexpected token' : 'Not a JSON text';
	}
	return message.replace(/ in JSON/, '');
}

function jsonFieldValue(name: string, value: unknown): string | null {
	if (value === null || typeof value === 'string') return value;
	// InstaMed sends amounts as strings; a bare number keeps only its shortest form (50.00 -> '50').
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new WebhookRejection(
		400,
		`Field ${quoteFieldName(name)} is nested; InstaMed sends one flat object`,
	);
}

function parseJsonText(text: string): { parsed: unknown } | { syntaxError: string } {
	try {
		return { parsed: JSON.parse(text) };
	} catch (error) {
		return { syntaxError: describeJsonSyntaxError(error.message) };
	}
}

/**
 * The members of a valid JSON object text in order, repeated names included: JSON.parse keeps
 * only the last of a repeated name, which would let a second "Amount" silently win.
 */
function objectMembers(text: string): Array<[string, unknown]> {
	const members: Array<[string, unknown]> = [];
	let depth = 0;
	let stringStart = -1;
	let escaped = false;
	let name: string | undefined;
	let valueStart = -1;
	const endMember = (end: number) => {
		if (name !== undefined) members.push([name, JSON.parse(text.slice(valueStart, end))]);
		name = undefined;
		valueStart = -1;
	};
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (stringStart >= 0) {
			if (escaped) escaped = false;
			else if (char === '\\') escaped = true;
			else if (char === '"') {
				if (depth === 1 && valueStart < 0) name = JSON.parse(text.slice(stringStart, index + 1));
				stringStart = -1;
			}
		} else if (char === '"') stringStart = index;
		else if (char === '{' || char === '[') depth++;
		else if (char === '}' || char === ']') {
			if (depth === 1) endMember(index);
			depth--;
		} else if (depth === 1 && char === ':') valueStart = index + 1;
		else if (depth === 1 && char === ',') endMember(index);
	}
	return members;
}

function countChar(text: string, char: string): number {
	let count = 0;
	for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) count++;
	return count;
}

/** A parsed object's own names and their values, in the same order. */
interface NamesAndValues {
	names: string[];
	values: unknown[];
}

// String.prototype.isWellFormed (ES2024, in every Node n8n 2 runs on) is not in the es2022 lib.
const isWellFormed = (text: string): boolean =>
	(text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Whether the parsed object holds every member of the text, so no name was repeated, decided
 * without a character loop, for a text without a backslash: then no string token decodes to other
 * characters than it shows, so the text's colons are one per member (plus any of nested values)
 * and those inside its strings; a repeated name adds a colon beyond the parsed object's members.
 * When unsure (nested values) the caller takes the exact member scan.
 */
function hasNoRepeatedNames(text: string, { names, values }: NamesAndValues): boolean {
	let colons = names.length;
	for (const value of values) {
		if (value !== null && typeof value === 'object') return false;
		if (typeof value === 'string' && value.includes(':')) colons += countChar(value, ':');
	}
	const textColons = countChar(text, ':');
	// At least one per member and the values' own: exactly that rules out a repeat (and colons in names).
	if (textColons === colons) return true;
	for (const name of names) if (name.includes(':')) colons += countChar(name, ':');
	return textColons === colons;
}

/**
 * A parsed flat object as fields, in place: JSON.parse made every name an own property. Its values
 * are null, strings, numbers or booleans, so a forbidden name is the only thing to refuse.
 */
function flatFields(object: Record<string, unknown>, { names, values }: NamesAndValues): Fields {
	refuseForbiddenNames(object, names);
	for (let i = 0; i < names.length; i++) {
		const value = values[i];
		if (value !== null && typeof value !== 'string') {
			object[names[i]] = jsonFieldValue(names[i], value);
		}
	}
	return object as Fields;
}

/** One flat JSON object as fields: numbers and booleans as their text, null kept. */
export function parseJson(text: string): Fields {
	const result = parseJsonText(text);
	if ('syntaxError' in result) {
		throw new WebhookRejection(400, `Malformed JSON: ${result.syntaxError}`);
	}
	const { parsed } = result;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new WebhookRejection(400, 'JSON body must be one object');
	}
	const object = parsed as Record<string, unknown>;
	// Values listed with their names: reading each by its name cost as much as the checks.
	const members = { names: Object.keys(object), values: Object.values(object) };
	if (members.names.length === 0) throw new WebhookRejection(400, 'JSON object has no fields');
	// The exact member scan costs several times JSON.parse; it is needed only when a name may be
	// repeated (or a value nested), which the common flat message without escapes rules out
	// cheaply. Then the parsed object is the field map: names checked, numbers and booleans turned
	// into their text, and, the text being well-formed, no value needs escaping to be hashed.
	if (!text.includes('\\') && hasNoRepeatedNames(text, members)) {
		const fields = flatFields(object, members);
		if (isWellFormed(text)) markPlainValues(fields);
		return fields;
	}
	return collectFields(objectMembers(text), jsonFieldValue);
}
