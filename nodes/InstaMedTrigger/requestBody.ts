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
 * Returns the exact bytes InstaMed sent. n8n's reader inflates gzip/deflate and applies n8n's own
 * payload limit; the trigger's smaller limit is checked on the declared length first, so an
 * oversized post is refused before it is read.
 */
export async function readRequestBody(req: TriggerRequest, maxBytes: number): Promise<Buffer> {
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
