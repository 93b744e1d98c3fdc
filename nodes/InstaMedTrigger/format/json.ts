import { WebhookRejection } from '../rejection';
import {
	describeField,
	FIELD_LIMITS,
	refuseBadName,
	tooManyFields,
	type FieldEntry,
} from './fields';

// JSON punctuation V8 may quote in a message; anything else it quotes is text from the body.
const quotedPunctuation = new Set(["','", "'}'", "']'", "':'", "'{'", "'['", "'\"'"]);

/**
 * V8's messages for some syntax errors quote the body around the error; a reason must not echo
 * the body, so those become a bare description, and any other quoted text is dropped.
 */
function describeJsonSyntaxError(message: string): string {
	if (message.includes('end of JSON input')) return 'Unexpected end of input';
	if (message.includes('is not valid JSON')) {
		return message.startsWith('Unexpected token') ? 'Unexpected token' : 'Not a JSON text';
	}
	return message
		.replace(/ in JSON/, '')
		.replace(/'[^']*'/g, (quoted) => (quotedPunctuation.has(quoted) ? quoted : "'...'"))
		.replace(/"[^"]*"/g, '"..."');
}

function parseJsonText(text: string): { parsed: unknown } | { syntaxError: string } {
	try {
		return { parsed: JSON.parse(text) };
	} catch (error) {
		return { syntaxError: describeJsonSyntaxError(error.message) };
	}
}

const isJsonWhitespace = (code: number): boolean =>
	code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

function skipWhitespace(text: string, at: number): number {
	while (at < text.length && isJsonWhitespace(text.charCodeAt(at))) at++;
	return at;
}

/** The index after the string token starting at `start` (its opening quote). */
function stringEnd(text: string, start: number): number {
	let quote = text.indexOf('"', start + 1);
	// A quote after an odd run of backslashes is escaped; each run is counted once.
	while (isEscaped(text, quote)) quote = text.indexOf('"', quote + 1);
	return quote + 1;
}

function isEscaped(text: string, quote: number): boolean {
	let backslashes = 0;
	while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
	return backslashes % 2 === 1;
}

function stringValue(text: string, start: number, end: number): string {
	const inner = text.slice(start + 1, end - 1);
	return inner.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

/** The end of a number token: it holds only these characters, and the text is valid JSON. */
function numberEnd(text: string, start: number): number {
	let at = start;
	while (at < text.length && '0123456789+-.eE'.includes(text[at])) at++;
	return at;
}

/**
 * A member's value and the index after it. A bare number keeps its text exactly as sent
 * (`9007199254740993`, `50.00`): reading it as a double would change it.
 */
function memberValue(
	text: string,
	at: number,
	name: string,
	position: number,
): [string | null, number] {
	const char = text[at];
	if (char === '"') {
		const end = stringEnd(text, at);
		return [stringValue(text, at, end), end];
	}
	if (char === '{' || char === '[') {
		// A prototype name is the problem to name, before its value.
		refuseBadName(name, position);
		throw new WebhookRejection(
			400,
			`${describeField(name, position)} is nested; InstaMed sends one flat object`,
		);
	}
	if (char === 'n') return [null, at + 4];
	if (char === 't') return ['true', at + 4];
	if (char === 'f') return ['false', at + 5];
	const end = numberEnd(text, at);
	return [text.slice(at, end), end];
}

/**
 * The members of a valid JSON object text in order, repeated names included (JSON.parse keeps
 * only the last of a repeated name, which would let a second "Amount" silently win). One pass;
 * the text was checked by JSON.parse, so the scan follows its tokens without checking them.
 */
function objectMembers(text: string): FieldEntry[] {
	const entries: FieldEntry[] = [];
	let at = skipWhitespace(text, skipWhitespace(text, 0) + 1);
	while (text[at] === '"') {
		if (entries.length === FIELD_LIMITS.fields) throw tooManyFields();
		const nameEnd = stringEnd(text, at);
		const name = stringValue(text, at, nameEnd);
		const valueStart = skipWhitespace(text, skipWhitespace(text, nameEnd) + 1);
		const [value, valueEnd] = memberValue(text, valueStart, name, entries.length + 1);
		entries.push([name, value]);
		const next = skipWhitespace(text, valueEnd);
		// A comma leads to the next name; the closing brace ends the loop.
		at = text[next] === ',' ? skipWhitespace(text, next + 1) : next;
	}
	return entries;
}

// Deeper than this is refused before JSON.parse builds it: a flat object has one level, and
// JSON.parse spends more than linear time on hundreds of thousands of nested arrays.
const MAX_DEPTH = 32;

/** What the structure pass saw: the top level's members, and whether any value opens a level. */
interface JsonShape {
	members: number;
	flat: boolean;
}

/**
 * 400 for a text nested deeper than MAX_DEPTH or with more members than FIELD_LIMITS.fields,
 * before JSON.parse builds all of it: one pass over the structure, strings skipped whole.
 */
function readShape(text: string): JsonShape {
	let depth = 0;
	let members = 0;
	let flat = true;
	for (let at = 0; at < text.length; at++) {
		const char = text[at];
		if (char === '"') {
			const end = stringEnd(text, at);
			if (end === 0) break; // an unterminated string: JSON.parse names it
			at = end - 1;
		} else if (char === '{' || char === '[') {
			if (depth > 0) flat = false;
			if (++depth > MAX_DEPTH) {
				throw new WebhookRejection(
					400,
					`JSON nested more than ${MAX_DEPTH} levels deep; InstaMed sends one flat object`,
				);
			}
		} else if (char === ':') {
			if (depth === 1 && ++members > FIELD_LIMITS.fields) throw tooManyFields();
		} else if (char === '}' || char === ']') depth--;
	}
	return { members, flat };
}

/** One flat JSON object as fields: numbers and booleans as their text, null kept. */
export function parseJson(text: string): FieldEntry[] {
	const shape = readShape(text);
	const result = parseJsonText(text);
	if ('syntaxError' in result) {
		throw new WebhookRejection(400, `Malformed JSON: ${result.syntaxError}`);
	}
	const { parsed } = result;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new WebhookRejection(400, 'JSON body must be one object');
	}
	const object = parsed as Record<string, unknown>;
	const names = Object.keys(object);
	if (shape.members === 0) throw new WebhookRejection(400, 'JSON object has no fields');
	// As many names as members, all flat: no name repeated, and JSON.parse's object is the message.
	if (shape.flat && names.length === shape.members) return parsedFields(object, names, text);
	return objectMembers(text);
}

/**
 * The fields of a flat object without repeated names as JSON.parse made them: its names are
 * internalised strings, which the message's lookups and field map take at a fraction of the cost
 * of names cut from the text. A bare number keeps its text, read by the member scan.
 */
function parsedFields(
	object: Record<string, unknown>,
	names: string[],
	text: string,
): FieldEntry[] {
	let scanned: Map<string, string | null> | undefined;
	return names.map((name): FieldEntry => {
		const value = object[name];
		if (value === null || typeof value === 'string') return [name, value];
		if (typeof value === 'boolean') return [name, String(value)];
		scanned ??= new Map(objectMembers(text));
		return [name, scanned.get(name) ?? null];
	});
}
