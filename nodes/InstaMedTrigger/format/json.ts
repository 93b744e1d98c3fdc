import { WebhookRejection } from '../rejection';
import { collectFields, quoteFieldName, type Fields } from './fields';

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
	const fields = collectFields(objectMembers(text), jsonFieldValue);
	if (Object.keys(fields).length === 0) {
		throw new WebhookRejection(400, 'JSON object has no fields');
	}
	return fields;
}
