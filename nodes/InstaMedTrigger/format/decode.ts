import { WebhookRejection } from '../rejection';

// fatal: refuse invalid UTF-8 instead of inventing U+FFFD; the decoder also drops a leading BOM.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(body: Buffer): string | undefined {
	try {
		return utf8.decode(body);
	} catch {
		return undefined;
	}
}

/** The body as text, or a 400 naming why it cannot be a notification. */
export function decodeBody(body: Buffer): string {
	if (body.length === 0) throw new WebhookRejection(400, 'Empty body');
	if (body.includes(0)) throw new WebhookRejection(400, 'Body contains NUL bytes (binary data)');
	const text = decodeUtf8(body);
	if (text === undefined) throw new WebhookRejection(400, 'Body is not valid UTF-8');
	if (text.trim() === '') throw new WebhookRejection(400, 'Empty body');
	return text;
}
