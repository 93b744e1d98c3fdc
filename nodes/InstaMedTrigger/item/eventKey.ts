import { fieldKind } from '../format/fieldCatalogue';
import { lookupField, type Message } from '../format/message';
import { parseInstaMedDateTime } from './dateTime';
import { appendPair, hashPairText, pairPrefix } from './hashPairs';
import { toCents } from '../../shared/money';

/**
 * The fields that say which transaction and which state of it a notification reports: the event's
 * identity. Everything else is either repeated from the transaction (patient, outlet, card, merchant
 * codes) or says how the notification is being delivered (`WorkflowStatus` turns "pending posting
 * retry" while InstaMed re-attempts the post), and must not make a re-delivery a new event.
 */
export const EVENT_KEY_FIELDS: readonly string[] = [
	'PaymentTransactionID', // this transaction
	'OriginalTransactionID', // the sale a refund, return or chargeback belongs to
	'TransactionAction', // Sale, Refund, ...
	'CurrentTransactionStatusCode', // the state reported: C, V, S, RI, CB, ...
	'PaymentPlanID', // payment plan messages
	'PaymentPlanTransactionType',
	'Amount', // compared as cents, so '50.00' and 50 are one amount
	'ResponseDateTime', // when InstaMed processed this state, compared as an instant
];

/** The fields that identify a transaction at all; without either, the event has no identity. */
const IDENTIFYING_FIELDS = ['PaymentTransactionID', 'PaymentPlanID'];

/** Amounts compare as cents and dates as instants when they parse, else as their text. */
function normaliserOf(name: string): (value: string) => string {
	const kind = fieldKind(name);
	if (kind === 'money') return (value) => String(toCents(value) ?? value);
	if (kind === 'dateTime') return (value) => parseInstaMedDateTime(value) ?? value;
	return (value) => value;
}

// Decided once: the pair prefix of each identity field and how its value is normalised.
const identityPrefixes = EVENT_KEY_FIELDS.map(pairPrefix);
const normalisers = EVENT_KEY_FIELDS.map(normaliserOf);
const identifying = IDENTIFYING_FIELDS.map((name) => EVENT_KEY_FIELDS.indexOf(name));

/**
 * SHA-256 (hex) of the event's identity (EVENT_KEY_FIELDS): names matched case-insensitively,
 * values trimmed, null, empty and absent alike, the amount as cents and the date as an instant
 * when they parse. So one event has one key in JSON, XML and NVP, and across re-deliveries whose
 * delivery state changed; a new state of the same transaction (voided, settled) has a new one.
 * A message carrying neither a transaction nor a plan id has no identity to key on: its key is
 * the content hash, so two such messages are never merged.
 *
 * The hashed text is JSON.stringify of the [name, normalised value] pairs in EVENT_KEY_FIELDS order.
 */
export function computeEventKey(message: Message, contentHash: string): string {
	const values = EVENT_KEY_FIELDS.map((name) => lookupField(message, name)?.trim() ?? '');
	if (identifying.every((i) => values[i] === '')) return contentHash;
	// Cents and ISO instants are plain text, as are the values of a message found so.
	const { plainValues } = message;
	let text = '';
	for (let i = 0; i < values.length; i++) {
		text = appendPair(text, identityPrefixes[i], normalisers[i](values[i]), plainValues);
	}
	return hashPairText(text);
}
