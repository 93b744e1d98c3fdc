export type EventCategory = 'payment' | 'paymentPlan' | 'unknown';

export interface EventDefinition<Id extends string = string> {
	/** The event's id, e.g. `paymentApproved` (the item's `event`); not its `eventKey`. */
	id: Id;
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
		id: 'paymentApproved',
		name: 'Approved',
		trigger: 'Payment Approved',
		category: 'payment',
		description: 'A sale was authorized or captured',
	},
	{
		id: 'paymentDeclined',
		name: 'Declined',
		trigger: 'Payment Declined',
		category: 'payment',
		description: 'A payment was declined',
	},
	{
		id: 'paymentVoided',
		name: 'Voided',
		trigger: 'Payment Voided',
		category: 'payment',
		description: 'A payment was voided or cancelled',
	},
	{
		id: 'paymentRefunded',
		name: 'Refunded',
		trigger: 'Payment Refunded',
		category: 'payment',
		description: 'A refund was made against a sale',
	},
	{
		id: 'paymentReturned',
		name: 'Returned',
		trigger: 'Payment Returned',
		category: 'payment',
		description: 'A bank payment was returned',
	},
	{
		id: 'paymentChargeback',
		name: 'Chargeback',
		trigger: 'Payment Chargeback',
		category: 'payment',
		description: 'A card payment was charged back',
	},
	{
		id: 'paymentSettlement',
		name: 'Settlement',
		trigger: 'Payment Settlement',
		category: 'payment',
		description: 'A payment was settled',
	},
	{
		id: 'paymentError',
		name: 'Error',
		trigger: 'Payment Error',
		category: 'payment',
		description: 'A payment failed to settle or reported an error',
	},
	{
		id: 'paymentPlanCreated',
		name: 'Plan Created',
		trigger: 'Payment Plan Created',
		category: 'paymentPlan',
		description: 'A payment plan was set up',
	},
	{
		id: 'paymentPlanUpdated',
		name: 'Plan Updated',
		trigger: 'Payment Plan Updated',
		category: 'paymentPlan',
		description: 'A payment plan changed or ran an installment',
	},
	// Where a message goes when no routing rule matches.
	{
		id: 'unrecognized',
		name: 'Unrecognized',
		trigger: 'Unrecognized',
		category: 'unknown',
		description: 'A message no routing rule matches',
	},
] as const satisfies ReadonlyArray<EventDefinition>;

export type EventId = (typeof EVENTS)[number]['id'];

export function isEventId(value: unknown): value is EventId {
	return EVENTS.some((event) => event.id === value);
}

export function eventById(id: EventId): EventDefinition<EventId> {
	return EVENTS.find((event) => event.id === id) as EventDefinition<EventId>;
}
