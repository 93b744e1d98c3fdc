/**
 * The answer protocol between the InstaMed node's Notification steps (Confirm Stored, Refuse) and
 * the InstaMed Trigger's answer guard. A step answers through n8n's `sendResponse` with a marker
 * header; the guard, which holds InstaMed's HTTP response, lets a 2xx through only when it carries
 * the Confirm Stored marker, and turns a Refuse's reason header into the HTTP reason phrase (n8n
 * does not pass a status message from `sendResponse`).
 */
export const ANSWER_HEADER = 'x-instamed-answer';
export const REASON_HEADER = 'x-instamed-reason';
export const CONFIRMED = 'confirmed';
export const REFUSED = 'refused';

/** A reason phrase must be one line of printable ASCII; anything else could split the response. */
export function toReasonPhrase(reason: string): string {
	const printable = reason.replace(/[^\x20-\x7e]+/g, ' ').trim();
	return printable.length > 120 ? `${printable.slice(0, 117)}...` : printable;
}
