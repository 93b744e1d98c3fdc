import { WebhookRejection } from './rejection';

/** What the trigger needs from n8n's request object (an express request with n8n's raw-body reader). */
export interface TriggerRequest {
	ip?: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
	socket?: { remoteAddress?: string };
}

/**
 * A body with a Content-Encoding is refused before anything reads it. n8n's reader
 * (`req.readRawBody`) inflates gzip and deflate up to n8n's own payload limit (16 MiB by default)
 * before the trigger could count the bytes, so a small compressed post would cost its inflated
 * size; InstaMed never compresses its notifications, so accepting none costs nothing.
 */
function refuseContentEncoding(headers: TriggerRequest['headers']): void {
	const encoding = headers['content-encoding'];
	const codings = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? ''))
		.split(',')
		.map((coding) => coding.trim().toLowerCase())
		.filter((coding) => coding !== '' && coding !== 'identity');
	if (codings.length > 0) {
		throw new WebhookRejection(
			415,
			'Compressed bodies are not accepted: send the body with no Content-Encoding',
		);
	}
}

/**
 * Returns the exact bytes InstaMed sent. The Content-Encoding and the trigger's limit on the
 * declared length are checked first, so a compressed or oversized post is refused before it is
 * read; n8n's own payload limit applies while reading.
 */
export async function readRequestBody(req: TriggerRequest, maxBytes: number): Promise<Buffer> {
	refuseContentEncoding(req.headers);
	const declaredLength = Number(req.headers['content-length']);
	if (Number.isFinite(declaredLength) && declaredLength > maxBytes) throw tooLarge(maxBytes);

	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') {
		try {
			await req.readRawBody();
		} catch (error) {
			throw readFailure(error, maxBytes);
		}
	}
	const body = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.alloc(0);
	if (body.length > maxBytes) throw tooLarge(maxBytes);
	return body;
}

function readFailure(error: { status?: number }, maxBytes: number): WebhookRejection {
	return error.status === 413
		? tooLarge(maxBytes)
		: new WebhookRejection(400, 'Body could not be read completely');
}

function tooLarge(maxBytes: number): WebhookRejection {
	return new WebhookRejection(
		413,
		`Body too large: the limit is ${Math.floor(maxBytes / 1024)} KB`,
	);
}
