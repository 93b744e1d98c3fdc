import { WebhookRejection } from '../rejection';

export type BodyFormat = 'json' | 'xml' | 'nvp';

export type FormatChoice = 'auto' | BodyFormat;

// Types that say nothing about the structure; InstaMed's Content-Type per format is not published.
const genericMediaTypes = new Set([
	'text/plain',
	'application/octet-stream',
	'binary/octet-stream',
	'application/unknown',
	'*/*',
]);

const utf8Bom = [0xef, 0xbb, 0xbf];
const whitespaceBytes = new Set([0x20, 0x09, 0x0a, 0x0d]);

function mediaTypeOf(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function formatOfMediaType(mediaType: string): BodyFormat | undefined {
	if (
		mediaType === 'application/json' ||
		mediaType === 'text/json' ||
		mediaType.endsWith('+json')
	) {
		return 'json';
	}
	if (mediaType.endsWith('/xml') || mediaType.endsWith('+xml')) return 'xml';
	if (mediaType === 'application/x-www-form-urlencoded') return 'nvp';
	return undefined;
}

/** The format from the first non-whitespace byte after an optional BOM. */
export function sniffFormat(body: Buffer): BodyFormat {
	const hasBom = utf8Bom.every((byte, index) => body[index] === byte);
	let index = hasBom ? utf8Bom.length : 0;
	while (index < body.length && whitespaceBytes.has(body[index])) index++;
	const first = String.fromCharCode(body[index] ?? 0);
	if (first === '{' || first === '[') return 'json';
	if (first === '<') return 'xml';
	return 'nvp';
}

/**
 * The body's format: the forced one, else the Content-Type when it is specific, else sniffed.
 * A specific type that is none of the three is refused with 415.
 */
export function detectFormat(
	contentType: string | undefined,
	body: Buffer,
	forced: FormatChoice,
): BodyFormat {
	if (forced !== 'auto') return forced;
	const mediaType = mediaTypeOf(contentType);
	if (mediaType === '' || genericMediaTypes.has(mediaType)) return sniffFormat(body);
	const format = formatOfMediaType(mediaType);
	if (format === undefined) {
		const shown = mediaType.replace(/[^a-z0-9!#$&^_.+\-/*]/g, '').slice(0, 80);
		throw new WebhookRejection(415, `Unsupported Content-Type '${shown}'`);
	}
	return format;
}
