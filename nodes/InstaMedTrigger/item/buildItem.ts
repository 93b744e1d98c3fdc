import { eventById, type EventCategory, type EventId } from '../events';
import type { BodyFormat } from '../format/detect';
import type { Fields } from '../format/fields';
import { lookupField, type Message } from '../format/message';
import { omitCardData } from './cardData';
import { parseInstaMedDateTime } from './dateTime';
import { computeContentHash } from './contentHash';
import { computeEventKey } from './eventKey';
import { redactHeaders, type RequestHeaders } from './headers';
import { toCents } from '../../shared/money';

/** The json of the item the trigger emits (README "The item" describes each field). */
export type InstaMedItem = {
	event: EventId;
	trigger: string;
	category: EventCategory;
	eventKey: string;
	contentHash: string;
	transactionId: string | null;
	originalTransactionId: string | null;
	statusCode: string | null;
	statusDescription: string | null;
	action: string | null;
	transactionType: string | null;
	paymentPlanId: string | null;
	amount: string | null;
	amountCents: number | null;
	outlet: string | null;
	responseDateTime: string | null;
	format: BodyFormat;
	receivedAt: string;
	fields: Fields;
	request: { ip: string | null; headers?: Record<string, string | string[]> };
	rawBody?: string;
};

export interface BuildItemInput {
	event: EventId;
	message: Message;
	body: Buffer;
	req: { ip?: string; headers: RequestHeaders };
	options: {
		includeRawBody: boolean;
		omitCardData: boolean;
		/** Off by default: n8n saves the item with every execution, and the headers buy nothing there. */
		includeHeaders?: boolean;
		secretHeaders?: readonly string[];
	};
	receivedAt?: Date;
}

/** A field's trimmed value, null when absent or blank; names match as in routing. */
function summaryValue(message: Message, name: string): string | null {
	const value = lookupField(message, name)?.trim();
	return value ? value : null;
}

function outletOf(message: Message): string | null {
	const parts = ['MerchantID', 'StoreID', 'TerminalID'].map((name) => summaryValue(message, name));
	const composed = parts.every((part) => part !== null) ? parts.join('-') : null;
	return summaryValue(message, 'Outlet') ?? composed;
}

export function buildItem({
	event,
	message,
	body,
	req,
	options,
	receivedAt = new Date(),
}: BuildItemInput): InstaMedItem {
	const definition = eventById(event);
	const amount = summaryValue(message, 'Amount');
	// From the fields as received, so leaving card data out never changes either.
	const contentHash = computeContentHash(message);
	const item: InstaMedItem = {
		event,
		trigger: definition.trigger,
		category: definition.category,
		eventKey: computeEventKey(message, contentHash),
		contentHash,
		transactionId: summaryValue(message, 'PaymentTransactionID'),
		originalTransactionId: summaryValue(message, 'OriginalTransactionID'),
		statusCode: summaryValue(message, 'CurrentTransactionStatusCode'),
		statusDescription: summaryValue(message, 'CurrentTransactionStatusDescription'),
		action: summaryValue(message, 'TransactionAction'),
		transactionType: summaryValue(message, 'TransactionType'),
		paymentPlanId: summaryValue(message, 'PaymentPlanID'),
		amount,
		amountCents: toCents(amount),
		outlet: outletOf(message),
		responseDateTime: parseInstaMedDateTime(summaryValue(message, 'ResponseDateTime')),
		format: message.format,
		receivedAt: receivedAt.toISOString(),
		// The parsed map is used by nothing after the item, so the item takes it as it is.
		fields: options.omitCardData ? omitCardData(message) : message.fields,
		request: { ip: req.ip ?? null },
	};
	if (options.includeHeaders) {
		item.request.headers = redactHeaders(req.headers, options.secretHeaders);
	}
	// The raw body repeats every card field, so leaving card data out wins over keeping the body.
	if (options.includeRawBody && !options.omitCardData) item.rawBody = body.toString('utf8');
	return item;
}
