// The trigger's events as a user meets them: the events to pick, the outputs n8n draws, and the
// output and item each sample notification gets from the trigger's webhook().
const { InstaMedTrigger } = require('../../nodes/InstaMedTrigger/InstaMedTrigger.node.ts');
const { EVENTS, eventById, isEventId } = require('../../nodes/InstaMedTrigger/events.ts');
const { configuredOutputs } = require('../../nodes/InstaMedTrigger/outputs.ts');
const { messages, serialise } = require('../../tools/sample-messages');
const { ALL_EVENTS, callWebhook, landedOn } = require('./trigger-fakes');

async function landing(fields) {
	const { body, contentType } = serialise('json', fields);
	const { result } = await callWebhook({ body, contentType });
	const { name, item } = landedOn(result, ALL_EVENTS);
	return [name, item.event, item.trigger, item.category];
}

test('the ten triggers in output order, then Unrecognized: where each sample lands, as what', async () => {
	const outputs = configuredOutputs({ events: ALL_EVENTS }, EVENTS).map(
		(output) => output.displayName,
	);
	const landings = await Promise.all(Object.values(messages).map(landing));
	const unknown = { ...messages.paymentApproved, TransactionAction: 'Mystery' };
	landings.push(await landing({ ...unknown, CurrentTransactionStatusCode: 'ZZ' }));
	expect(landings.map(([name]) => name)).toEqual(outputs);
	expect(landings).toEqual([
		['Approved', 'paymentApproved', 'Payment Approved', 'payment'],
		['Declined', 'paymentDeclined', 'Payment Declined', 'payment'],
		['Voided', 'paymentVoided', 'Payment Voided', 'payment'],
		['Refunded', 'paymentRefunded', 'Payment Refunded', 'payment'],
		['Returned', 'paymentReturned', 'Payment Returned', 'payment'],
		['Chargeback', 'paymentChargeback', 'Payment Chargeback', 'payment'],
		['Settlement', 'paymentSettlement', 'Payment Settlement', 'payment'],
		['Error', 'paymentError', 'Payment Error', 'payment'],
		['Plan Created', 'paymentPlanCreated', 'Payment Plan Created', 'paymentPlan'],
		['Plan Updated', 'paymentPlanUpdated', 'Payment Plan Updated', 'paymentPlan'],
		['Unrecognized', 'unrecognized', 'Unrecognized', 'unknown'],
	]);
});

test('the events to pick: each trigger, described in one sentence without a final period', () => {
	const events = new InstaMedTrigger().description.properties.find(
		(property) => property.name === 'events',
	);
	expect(events.options.map((option) => option.value).sort()).toEqual([...ALL_EVENTS].sort());
	for (const option of events.options) expect(option.description).toMatch(/^[A-Z].+[^.]$/);
	expect(eventById('unrecognized').description).toMatch(/^[A-Z].+[^.]$/);
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
	expect(eventById('paymentRefunded').name).toBe('Refunded');
	expect(eventById('paymentRefunded').trigger).toBe('Payment Refunded');
	expect(eventById('unrecognized').category).toBe('unknown');
	expect(isEventId('paymentPlanCreated')).toBe(true);
	expect(isEventId('unrecognized')).toBe(true);
	expect(isEventId('paymentSettled')).toBe(false);
	expect(isEventId(undefined)).toBe(false);
});
