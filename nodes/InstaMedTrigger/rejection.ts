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

/** A node setting the trigger cannot use (rules, allowlist, header names): someone must fix the node. */
export class TriggerMisconfigured extends Error {
	constructor(cause: unknown) {
		super(messageOf(cause));
		this.name = 'TriggerMisconfigured';
	}
}

export function misconfigured(cause: unknown): TriggerMisconfigured {
	return new TriggerMisconfigured(cause);
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * The answer for anything thrown while taking a request. Only a bad setting is called
 * "misconfigured"; anything else (a connection reset while n8n reads, a failing lookup) says the
 * trigger failed, so the reason InstaMed shows points at the right cause. Both are 500: InstaMed
 * retries them.
 */
export function rejectionFor(error: unknown): WebhookRejection {
	if (error instanceof WebhookRejection) return error;
	if (error instanceof TriggerMisconfigured) {
		return new WebhookRejection(500, `InstaMed Trigger misconfigured: ${error.message}`);
	}
	return new WebhookRejection(500, `InstaMed Trigger failed: ${messageOf(error)}`);
}

/**
 * Where an unexpected error came from, for the log: its name, code and the first stack frame, never
 * its data. Undefined for the trigger's own refusals, which need no tracing.
 */
export function unexpectedErrorOrigin(
	error: unknown,
): { errorName: string; errorCode?: string; thrownAt?: string } | undefined {
	if (error instanceof WebhookRejection || !(error instanceof Error)) return undefined;
	const code = (error as { code?: unknown }).code;
	const thrownAt = error.stack
		?.split('\n')
		.find((line) => line.trimStart().startsWith('at '))
		?.trim();
	return {
		errorName: error.name,
		...(typeof code === 'string' ? { errorCode: code } : {}),
		...(thrownAt ? { thrownAt } : {}),
	};
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
