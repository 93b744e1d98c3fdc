export type EventCategory = 'payment' | 'paymentPlan' | 'unknown';

export interface EventDefinition<Key extends string = string> {
	key: Key;
	/** The output's label: whole on the canvas (about 12 characters), distinct from the others. */
	name: string;
	/** InstaMed's name for the trigger, stored in the item's `trigger` field. */
	trigger: string;
	category: EventCategory;
	description: string;
}

/** Every event in the order of the node's outputs: the ten selectable triggers, then Unrecognized. */
export const EVENTS = [
	{
		key: 'paymentApproved',
		name: 'Approved',
		trigger: 'Payment Approved',
		category: 'payment',
		description: 'A sale was authorized or captured',
	},
	{
		key: 'paymentDeclined',
		name: 'Declined',
		trigger: 'Payment Declined',
		category: 'payment',
		description: 'A payment was declined',
	},
	{
		key: 'paymentVoided',
		name: 'Voided',
		trigger: 'Payment Voided',
		category: 'payment',
		description: 'A payment was voided or cancelled',
	},
	{
		key: 'paymentRefunded',
		name: 'Refunded',
		trigger: 'Payment Refunded',
		category: 'payment',
		description: 'A refund was made against a sale',
	},
	{
		key: 'paymentReturned',
		name: 'Returned',
		trigger: 'Payment Returned',
		category: 'payment',
		description: 'A bank payment was returned',
	},
	{
		key: 'paymentChargeback',
		name: 'Chargeback',
		trigger: 'Payment Chargeback',
		category: 'payment',
		description: 'A card payment was charged back',
	},
	{
		key: 'paymentSettlement',
		name: 'Settlement',
		trigger: 'Payment Settlement',
		category: 'payment',
		description: 'A payment was settled',
	},
	{
		key: 'paymentError',
		name: 'Error',
		trigger: 'Payment Error',
		category: 'payment',
		description: 'A payment failed to settle or reported an error',
	},
	{
		key: 'paymentPlanCreated',
		name: 'Plan Created',
		trigger: 'Payment Plan Created',
		category: 'paymentPlan',
		description: 'A payment plan was set up',
	},
	{
		key: 'paymentPlanUpdated',
		name: 'Plan Updated',
		trigger: 'Payment Plan Updated',
		category: 'paymentPlan',
		description: 'A payment plan changed or ran an installment',
	},
	// Where a message goes when no routing rule matches.
	{
		key: 'unrecognized',
		name: 'Unrecognized',
		trigger: 'Unrecognized',
		category: 'unknown',
		description: 'A message no routing rule matches',
	},
] as const satisfies ReadonlyArray<EventDefinition>;

export type EventKey = (typeof EVENTS)[number]['key'];

export function isEventKey(value: unknown): value is EventKey {
	return EVENTS.some((event) => event.key === value);
}

export function eventByKey(key: EventKey): EventDefinition<EventKey> {
	return EVENTS.find((event) => event.key === key) as EventDefinition<EventKey>;
}
