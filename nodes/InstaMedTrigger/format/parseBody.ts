import { decodeBody } from './decode';
import { detectFormat, type BodyFormat, type FormatChoice } from './detect';
import type { FieldEntry } from './fields';
import { parseJson } from './json';
import { collectMessage, type Message } from './message';
import { parseNvp } from './nvp';
import { parseXml } from './xml';

const parsers: Record<BodyFormat, (text: string) => FieldEntry[]> = {
	json: parseJson,
	xml: parseXml,
	nvp: parseNvp,
};

/**
 * Detects the format (415 when unsupported), decodes and parses (400 naming the problem): the one
 * message value every later step receives.
 */
export function parseBody(
	contentType: string | undefined,
	body: Buffer,
	forced: FormatChoice,
): Message {
	const format = detectFormat(contentType, body, forced);
	return collectMessage(format, parsers[format](decodeBody(body)));
}
