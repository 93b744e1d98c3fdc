import { createHash } from 'crypto';

import { fieldKind } from '../format/fieldCatalogue';
import { lookupField, type Fields } from '../format/fields';
import { parseInstaMedDateTime } from './dateTime';
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

/**
 * SHA-256 (hex) of the event's identity (EVENT_KEY_FIELDS): names matched case-insensitively,
 * values trimmed, null, empty and absent alike, the amount as cents and the date as an instant
 * when they parse. So one event has one key in JSON, XML and NVP, and across re-deliveries whose
 * delivery state changed; a new state of the same transaction (voided, settled) has a new one.
 * A message carrying neither a transaction nor a plan id has no identity to key on: its key is
 * the content hash, so two such messages are never merged.
 */
export function computeEventKey(fields: Fields, contentHash: string): string {
	const value = (name: string) => lookupField(fields, name)?.trim() ?? '';
	if (IDENTIFYING_FIELDS.every((name) => value(name) === '')) return contentHash;
	const identity = EVENT_KEY_FIELDS.map((name) => [name, normalise(name, value(name))]);
	return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

function normalise(name: string, value: string): string {
	if (fieldKind(name) === 'money') return String(toCents(value) ?? value);
	if (fieldKind(name) === 'dateTime') return parseInstaMedDateTime(value) ?? value;
	return value;
}
