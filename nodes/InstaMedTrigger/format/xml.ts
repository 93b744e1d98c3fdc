import { XMLParser, XMLValidator, type ValidationError } from 'fast-xml-parser';
import { WebhookRejection } from '../rejection';
import { collectFields, quoteFieldName, type Fields } from './fields';

// Entities stay unexpanded by the library: only the five predefined ones and character
// references are decoded below, so no declaration can make a value grow or read a file.
const parser = new XMLParser({
	ignoreAttributes: true,
	parseTagValue: false,
	processEntities: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
});

const predefinedEntities: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
};

function decodeCharacterReference(digits: string): string | undefined {
	const codePoint = digits[0] === 'x' ? parseInt(digits.slice(1), 16) : parseInt(digits, 10);
	const isXmlChar =
		codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
	return isXmlChar ? String.fromCodePoint(codePoint) : undefined;
}

function decodeReference(name: string): string | undefined {
	if (name.startsWith('#')) return decodeCharacterReference(name.slice(1));
	return Object.hasOwn(predefinedEntities, name) ? predefinedEntities[name] : undefined;
}

/** One pass, so `&amp;lt;` becomes `&lt;` and never `<`. Unknown references stay as written. */
export function decodeXmlEntities(text: string): string {
	return text.replace(
		/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g,
		(reference, name: string) => decodeReference(name) ?? reference,
	);
}

/** The validator quotes what it found; keep quotes that hold an XML name, hide anything else. */
function describeXmlError({ err }: ValidationError): string {
	const message = err.msg
		.replace(/'([^']*)'/g, (quoted, inner: string) =>
			/^[A-Za-z_][\w.:-]{0,63}$/.test(inner) ? quoted : "'...'",
		)
		.replace(/\.$/, '');
	return `${message} (line ${err.line})`;
}

function xmlFieldValue(name: string, value: unknown): string {
	if (typeof value === 'string') return decodeXmlEntities(value);
	throw new WebhookRejection(
		400,
		`Field ${quoteFieldName(name)} has child elements; InstaMed sends flat fields`,
	);
}

function* childElements(root: Record<string, unknown>): Generator<[string, unknown]> {
	for (const [key, value] of Object.entries(root)) {
		if (key === '#text') {
			throw new WebhookRejection(400, 'XML root element has text outside its fields');
		}
		// fast-xml-parser renames this element to keep it off the prototype; restore it to refuse it.
		const name = key === '#__proto__' ? '__proto__' : key;
		for (const occurrence of Array.isArray(value) ? value : [value]) yield [name, occurrence];
	}
}

/**
 * The parser's tree of a document the validator passed. fast-xml-parser 5 still throws on some
 * valid ones (a `hasOwnProperty` element before a repeated element calls the field map's own
 * `hasOwnProperty`); those are refused like any body the trigger cannot read, never a crash.
 */
function parseValidXml(text: string): Record<string, unknown> {
	try {
		return parser.parse(text) as Record<string, unknown>;
	} catch {
		throw unreadableXml();
	}
}

function unreadableXml(): WebhookRejection {
	return new WebhookRejection(
		400,
		'XML could not be read as fields (element names the parser refuses)',
	);
}

/** Any single root; each child element is a field under its exact name, an empty element is ''. */
export function parseXml(text: string): Fields {
	if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
		throw new WebhookRejection(400, 'XML DOCTYPE/entity declarations are not accepted');
	}
	const validation = XMLValidator.validate(text);
	if (validation !== true) {
		throw new WebhookRejection(400, `Malformed XML: ${describeXmlError(validation)}`);
	}
	const roots = Object.values(parseValidXml(text));
	if (roots.length !== 1 || Array.isArray(roots[0])) {
		throw new WebhookRejection(400, 'XML body must have exactly one root element');
	}
	const root = roots[0];
	const fields =
		typeof root === 'object' && root !== null
			? collectFields(childElements(root as Record<string, unknown>), xmlFieldValue)
			: {};
	if (Object.keys(fields).length === 0) {
		throw new WebhookRejection(400, 'XML root element has no fields');
	}
	return fields;
}
