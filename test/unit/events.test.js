const { EVENTS, eventByKey, isEventKey } = require('../../nodes/InstaMedTrigger/events.ts');

test('the ten triggers in output order, then Unrecognized', () => {
	expect(EVENTS.map(({ key, name, trigger, category }) => [key, name, trigger, category])).toEqual([
		['paymentApproved', 'Approved', 'Payment Approved', 'payment'],
		['paymentDeclined', 'Declined', 'Payment Declined', 'payment'],
		['paymentVoided', 'Voided', 'Payment Voided', 'payment'],
		['paymentRefunded', 'Refunded', 'Payment Refunded', 'payment'],
		['paymentReturned', 'Returned', 'Payment Returned', 'payment'],
		['paymentChargeback', 'Chargeback', 'Payment Chargeback', 'payment'],
		['paymentSettlement', 'Settlement', 'Payment Settlement', 'payment'],
		['paymentError', 'Error', 'Payment Error', 'payment'],
		['paymentPlanCreated', 'Plan Created', 'Payment Plan Created', 'paymentPlan'],
		['paymentPlanUpdated', 'Plan Updated', 'Payment Plan Updated', 'paymentPlan'],
		['unrecognized', 'Unrecognized', 'Unrecognized', 'unknown'],
	]);
	for (const event of EVENTS) expect(event.description).toMatch(/^[A-Z].+[^.]$/);
});

test('output labels fit whole on the canvas and are distinct', () => {
	const names = EVENTS.map((event) => event.name);
	// n8n's canvas shows about 12 characters of an output label before cutting it.
	for (const name of names) expect(name.length).toBeLessThanOrEqual(12);
	expect(new Set(names).size).toBe(names.length);
	// Distinct already in the part the canvas is sure to show.
	expect(new Set(names.map((name) => name.slice(0, 9))).size).toBe(names.length);
});

test('lookups by key', () => {
	expect(eventByKey('paymentRefunded').name).toBe('Refunded');
	expect(eventByKey('paymentRefunded').trigger).toBe('Payment Refunded');
	expect(eventByKey('unrecognized').category).toBe('unknown');
	expect(isEventKey('paymentPlanCreated')).toBe(true);
	expect(isEventKey('unrecognized')).toBe(true);
	expect(isEventKey('paymentSettled')).toBe(false);
	expect(isEventKey(undefined)).toBe(false);
});
