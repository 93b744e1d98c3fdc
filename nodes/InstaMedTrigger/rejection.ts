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

/** A reason phrase must be one line of printable ASCII; anything else could split the response. */
export function toReasonPhrase(reason: string): string {
	const printable = reason.replace(/[^\x20-\x7e]+/g, ' ').trim();
	return printable.length > 120 ? `${printable.slice(0, 117)}...` : printable;
}
