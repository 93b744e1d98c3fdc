const { EVENTS, eventByKey, isEventKey } = require('../../nodes/InstaMedTrigger/events.ts');

test('the ten triggers in output order, then Unrecognized', () => {
	expect(EVENTS.map(({ key, name, category }) => [key, name, category])).toEqual([
		['paymentApproved', 'Payment Approved', 'payment'],
		['paymentDeclined', 'Payment Declined', 'payment'],
		['paymentVoided', 'Payment Voided', 'payment'],
		['paymentRefunded', 'Payment Refunded', 'payment'],
		['paymentReturned', 'Payment Returned', 'payment'],
		['paymentChargeback', 'Payment Chargeback', 'payment'],
		['paymentSettlement', 'Payment Settlement', 'payment'],
		['paymentError', 'Payment Error', 'payment'],
		['paymentPlanCreated', 'Payment Plan Created', 'paymentPlan'],
		['paymentPlanUpdated', 'Payment Plan Updated', 'paymentPlan'],
		['unrecognized', 'Unrecognized', 'unknown'],
	]);
	for (const event of EVENTS) expect(event.description).toMatch(/^[A-Z].+[^.]$/);
});

test('lookups by key', () => {
	expect(eventByKey('paymentRefunded').name).toBe('Payment Refunded');
	expect(eventByKey('unrecognized').category).toBe('unknown');
	expect(isEventKey('paymentPlanCreated')).toBe(true);
	expect(isEventKey('unrecognized')).toBe(true);
	expect(isEventKey('paymentSettled')).toBe(false);
	expect(isEventKey(undefined)).toBe(false);
});
