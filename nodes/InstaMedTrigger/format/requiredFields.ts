import { WebhookRejection } from '../rejection';
import { lookupField, type Message } from './message';

/**
 * NVP has no end marker: a body cut short, with a Content-Length that matches, is a valid shorter
 * message. Requiring the fields every notification carries refuses it instead of storing it.
 * `A | B` means either field; payment plan messages may carry a plan transaction type in place
 * of a status code.
 */
export const DEFAULT_REQUIRED_FIELDS =
	'PaymentTransactionID, CurrentTransactionStatusCode | PaymentPlanTransactionType, Amount';

/** Each entry lists alternatives: one of them must have a value. */
export type RequiredFields = string[][];

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Comma- or line-separated entries, alternatives joined by `|`; empty text means no check. */
export function parseRequiredFields(text: string): RequiredFields {
	return text
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '')
		.map((entry) =>
			entry.split('|').map((name) => {
				const trimmed = name.trim();
				if (!FIELD_NAME.test(trimmed)) {
					throw new Error(`Required fields: "${entry}" is not a field name or "A | B"`);
				}
				return trimmed;
			}),
		);
}

/** 400 naming every required field (or choice of fields) that is absent, null or blank. */
export function checkRequiredFields(message: Message, required: RequiredFields): void {
	const hasValue = (name: string) => (lookupField(message, name) ?? '').trim() !== '';
	const missing = required.filter((alternatives) => !alternatives.some(hasValue));
	if (missing.length === 0) return;
	const names = missing.map((alternatives) => alternatives.join(' or ')).join(', ');
	throw new WebhookRejection(400, `Missing required fields: ${names}`);
}
