import { decodeBody } from './decode';
import { detectFormat, type BodyFormat, type FormatChoice } from './detect';
import type { Fields } from './fields';
import { parseJson } from './json';
import { parseNvp } from './nvp';
import { parseXml } from './xml';

export interface ParsedBody {
	format: BodyFormat;
	fields: Fields;
}

const parsers: Record<BodyFormat, (text: string) => Fields> = {
	json: parseJson,
	xml: parseXml,
	nvp: parseNvp,
};

/** Detects the format (415 when unsupported), decodes and parses (400 naming the problem). */
export function parseBody(
	contentType: string | undefined,
	body: Buffer,
	forced: FormatChoice,
): ParsedBody {
	const format = detectFormat(contentType, body, forced);
	return { format, fields: parsers[format](decodeBody(body)) };
}
