// Every trigger in every format, through the trigger's webhook() as n8n calls it: the output it
// lands on and the item it emits.
const { EVENTS } = require('../../nodes/InstaMedTrigger/events.ts');
const { messages, formats, serialise } = require('../../tools/sample-messages');
const { ALL_EVENTS, callWebhook, landedOn } = require('./trigger-fakes');

const expected = {
	paymentApproved: {
		amountCents: 5000,
		statusCode: 'C',
		responseDateTime: '2017-12-14T23:58:06.000Z',
	},
	paymentDeclined: {
		amountCents: 12575,
		statusCode: 'D',
		responseDateTime: '2018-01-05T09:03:41.000Z',
	},
	paymentVoided: {
		amountCents: 5000,
		statusCode: 'V',
		responseDateTime: '2017-12-15T00:10:00.000Z',
	},
	paymentRefunded: {
		amountCents: 1050,
		statusCode: 'C',
		responseDateTime: '2017-12-20T15:15:27.000Z',
	},
	paymentReturned: {
		amountCents: 29,
		statusCode: 'RI',
		responseDateTime: '2018-01-09T06:00:00.000Z',
	},
	paymentChargeback: {
		amountCents: 123456789,
		statusCode: 'CB',
		responseDateTime: '2018-02-01T12:00:00.000Z',
	},
	paymentSettlement: {
		amountCents: 5000,
		statusCode: 'S',
		responseDateTime: '2017-12-15T04:30:00.000Z',
	},
	paymentError: {
		amountCents: 7500,
		statusCode: 'SE',
		responseDateTime: '2017-12-15T04:31:12.000Z',
	},
	paymentPlanCreated: {
		amountCents: 5000,
		statusCode: 'C',
		responseDateTime: '2018-01-10T10:22:45.000Z',
	},
	paymentPlanUpdated: {
		amountCents: 5000,
		statusCode: 'C',
		responseDateTime: '2018-02-10T10:22:45.000Z',
	},
};

/** The output name and the item of one message posted from InstaMed's address. */
async function deliver(format, fields, serialiseOptions) {
	const { body, contentType } = serialise(format, fields, serialiseOptions);
	const { result } = await callWebhook({
		body,
		contentType,
		headers: { authorization: 'Basic aW5zdGFtZWQ6c2VjcmV0', 'x-forwarded-for': '34.236.206.189' },
		peer: '34.236.206.189',
	});
	return landedOn(result, ALL_EVENTS);
}

const receive = async (format, fields, serialiseOptions) =>
	(await deliver(format, fields, serialiseOptions)).item;

// XML and NVP cannot carry null: an InstaMed null arrives there as an empty value.
const asSentIn = (format, fields) =>
	format === 'json'
		? fields
		: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value ?? '']));

test('the samples cover every selectable trigger', () => {
	expect(Object.keys(messages)).toEqual(
		EVENTS.filter((event) => event.id !== 'unrecognized').map((event) => event.id),
	);
});

describe.each(Object.keys(messages))('%s', (event) => {
	const fields = messages[event];
	const definition = EVENTS.find((candidate) => candidate.id === event);

	test.each(formats)('in %s lands on its own output with the right item', async (format) => {
		const { name, item } = await deliver(format, fields);
		expect(name).toBe(definition.name);
		expect(item).toMatchObject({
			event,
			trigger: definition.trigger,
			category: definition.category,
			transactionId: fields.PaymentTransactionID,
			originalTransactionId: fields.OriginalTransactionID || null,
			statusCode: expected[event].statusCode,
			statusDescription: fields.CurrentTransactionStatusDescription,
			action: fields.TransactionAction,
			transactionType: fields.TransactionType,
			paymentPlanId: fields.PaymentPlanID ?? null,
			amount: fields.Amount,
			amountCents: expected[event].amountCents,
			outlet: '1234567890-0001-0001',
			responseDateTime: expected[event].responseDateTime,
			format,
			// Headers only with Include Request Headers (item.test.js): n8n saves every item.
			request: { ip: '34.236.206.189' },
		});
		expect(item.request).not.toHaveProperty('headers');
		expect(item.fields).toEqual(asSentIn(format, fields));
		expect(item.eventKey).toMatch(/^[0-9a-f]{64}$/);
		expect(item).not.toHaveProperty('rawBody');
	});

	test('has one eventKey across formats, null styles, re-deliveries and NVP name casing', async () => {
		// JSON sends null; XML and NVP may send the field empty or leave it out.
		const withoutNulls = Object.fromEntries(
			Object.entries(fields).filter(([, value]) => value !== null),
		);
		// While InstaMed re-attempts a post, the transaction's workflow status changes.
		const retried = { ...fields, WorkflowStatus: 'Pending Posting Retry' };
		const inEveryFormat = (sent) => Promise.all(formats.map((format) => receive(format, sent)));
		const items = [
			...(await inEveryFormat(fields)),
			...(await inEveryFormat(withoutNulls)),
			...(await inEveryFormat(retried)),
			await receive('nvp', fields, { lowerCaseNames: true }),
			await receive('xml', withoutNulls, { root: 'Notification' }),
		];
		expect(new Set(items.map((item) => item.eventKey)).size).toBe(1);
		// The content hash tells the retried delivery apart, and agrees across encodings.
		const hashes = (await inEveryFormat(withoutNulls)).map((item) => item.contentHash);
		expect(new Set([...hashes, (await receive('json', fields)).contentHash]).size).toBe(1);
		expect((await receive('json', retried)).contentHash).not.toBe(hashes[0]);
	});

	test('is routed the same with lower-cased NVP names, which come back in canonical casing', async () => {
		const item = await receive('nvp', fields, { lowerCaseNames: true });
		expect(item.event).toBe(event);
		expect(item.fields).toMatchObject({
			PaymentTransactionID: fields.PaymentTransactionID,
			CurrentTransactionStatusCode: fields.CurrentTransactionStatusCode,
			Amount: fields.Amount,
			PatientLastName: fields.PatientLastName,
			AdditionalCode1Description: fields.AdditionalCode1Description,
		});
	});
});

test('different messages have different eventKeys', async () => {
	const items = await Promise.all(Object.values(messages).map((fields) => receive('json', fields)));
	const keys = items.map((item) => item.eventKey);
	expect(new Set(keys).size).toBe(keys.length);
});
