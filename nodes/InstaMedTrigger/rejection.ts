import { toReasonPhrase } from '../shared/instaMedAnswer';

/**
 * A request the trigger refuses before any workflow runs. The node answers it itself, so InstaMed
 * sees the status plus a reason it shows the merchant, and n8n records no execution.
 */
export class WebhookRejection extends Error {
	constructor(
		readonly status: number,
		readonly reason: string,
		readonly headers: Record<string, string> = {},
	) {
		super(reason);
		this.name = 'WebhookRejection';
	}
}

/** The part of Node's ServerResponse (and so of express's) that answering needs. */
export interface PlainResponse {
	statusCode: number;
	statusMessage: string;
	headersSent: boolean;
	setHeader(name: string, value: string): unknown;
	end(body: string): unknown;
}

/**
 * InstaMed shows a "response phrase" to the merchant without saying whether it reads the HTTP
 * reason phrase or the body, so both carry the same short text.
 */
export function sendPlainAnswer(
	res: PlainResponse,
	status: number,
	reason: string,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent) return;
	const phrase = toReasonPhrase(reason);
	res.statusCode = status;
	res.statusMessage = phrase;
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, toReasonPhrase(value));
	res.setHeader('Content-Type', 'text/plain; charset=utf-8');
	res.setHeader('Cache-Control', 'no-store');
	res.end(phrase);
}
