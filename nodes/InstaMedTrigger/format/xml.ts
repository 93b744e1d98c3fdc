import { SaxesParser } from 'saxes';
import { WebhookRejection } from '../rejection';
import { describeField, FIELD_LIMITS, tooManyFields, type FieldEntry } from './fields';

/**
 * XML is read by saxes, a streaming parser that looks at each character once, so every shape of
 * body (whitespace or attributes in a tag, deep nesting, long names) costs time in proportion to
 * its size. It decodes only the five predefined entities and character references; declarations
 * are refused before it runs, so no entity can make a value grow or read a file.
 */

// saxes's messages that name something from the body end after a colon (`unclosed tag: R`);
// what is before it is saxes's own text.
function describeSaxesError(message: string): string {
	const text = message
		.replace(/^\d+:\d+: /, '')
		.split(':')[0]
		.replace(/\.$/, '');
	return /^[A-Za-z ,."?\]>/]+$/.test(text) ? text : 'not well-formed';
}

/** The element being read as a field, its text in pieces (joined once, at its end). */
interface OpenField {
	name: string;
	position: number;
	pieces: string[];
}

/** The state of one document's reading; a new one per body. */
class FlatXmlReader {
	readonly entries: FieldEntry[] = [];
	/** Elements open: 1 inside the root, 2 inside a field. */
	depth = 0;
	field: OpenField | undefined;
	/** Non-whitespace text in the root outside any field. */
	strayText = false;
	attributes = 0;

	constructor(private readonly parser: SaxesParser) {}

	openTag({ name }: { name: string }): void {
		this.depth++;
		this.attributes = 0;
		if (this.depth === 2) {
			const position = this.entries.length + 1;
			if (position > FIELD_LIMITS.fields) throw tooManyFields();
			if (name.length > FIELD_LIMITS.nameLength) {
				throw new WebhookRejection(
					400,
					`Field ${position} has a name longer than ${FIELD_LIMITS.nameLength} characters`,
				);
			}
			this.field = { name, position, pieces: [] };
		} else if (this.depth > 2 && this.field !== undefined) {
			throw new WebhookRejection(
				400,
				`${describeField(this.field.name, this.field.position)} has child elements; InstaMed sends flat fields`,
			);
		}
	}

	attribute(): void {
		if (++this.attributes > FIELD_LIMITS.attributes) {
			throw new WebhookRejection(
				400,
				`An element has more than ${FIELD_LIMITS.attributes} attributes`,
			);
		}
	}

	/** Text and CDATA alike; CDATA comes verbatim, as its markup intends. */
	text(text: string): void {
		if (this.field !== undefined) this.field.pieces.push(text);
		else if (this.depth === 1 && /\S/.test(text)) this.strayText = true;
	}

	closeTag(): void {
		if (this.depth === 2 && this.field !== undefined) {
			this.entries.push([this.field.name, this.field.pieces.join('')]);
			this.field = undefined;
		}
		this.depth--;
	}

	error(error: Error): void {
		// An undeclared entity stays inert text (`&e;`), as written.
		if (error.message.endsWith('undefined entity.')) return;
		const where = this.field
			? `${describeField(this.field.name, this.field.position)}, line ${this.parser.line}`
			: `line ${this.parser.line}`;
		throw new WebhookRejection(
			400,
			`Malformed XML: ${describeSaxesError(error.message)} (${where})`,
		);
	}
}

function readFlatXml(text: string): FlatXmlReader {
	const parser = new SaxesParser({ position: true });
	const reader = new FlatXmlReader(parser);
	parser.on('opentagstart', (tag) => reader.openTag(tag));
	parser.on('attribute', () => reader.attribute());
	parser.on('text', (data) => reader.text(data));
	parser.on('cdata', (data) => reader.text(data));
	parser.on('closetag', () => reader.closeTag());
	parser.on('error', (error) => reader.error(error));
	parser.write(text).close();
	return reader;
}

/** Any single root; each child element is a field under its exact name, an empty element is ''. */
export function parseXml(text: string): FieldEntry[] {
	if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
		throw new WebhookRejection(400, 'XML DOCTYPE/entity declarations are not accepted');
	}
	const { entries, strayText } = readFlatXml(text);
	if (entries.length === 0) throw new WebhookRejection(400, 'XML root element has no fields');
	if (strayText) throw new WebhookRejection(400, 'XML root element has text outside its fields');
	return entries;
}
