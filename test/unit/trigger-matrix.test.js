// Every trigger in every format, through the same steps the node runs: parse, classify, build.
const { parseBody } = require('../../nodes/InstaMedTrigger/format/parseBody.ts');
const { classify } = require('../../nodes/InstaMedTrigger/routing/classify.ts');
const { BUILT_IN_RULES } = require('../../nodes/InstaMedTrigger/routing/rules.ts');
const { buildItem } = require('../../nodes/InstaMedTrigger/item/buildItem.ts');
const { EVENTS } = require('../../nodes/InstaMedTrigger/events.ts');
const { messages, formats, serialise } = require('../../tools/sample-messages');

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

const headers = (contentType) => ({
	'content-type': contentType,
	authorization: 'Basic aW5zdGFtZWQ6c2VjcmV0',
	'x-forwarded-for': '34.236.206.189',
});

function receive(format, fields, serialiseOptions) {
	const { body, contentType } = serialise(format, fields, serialiseOptions);
	const bytes = Buffer.from(body);
	const parsed = parseBody(contentType, bytes, 'auto');
	const event = classify(parsed.fields, BUILT_IN_RULES);
	return buildItem({
		event,
		format: parsed.format,
		fields: parsed.fields,
		body: bytes,
		req: { ip: '34.236.206.189', headers: headers(contentType) },
		options: { includeRawBody: false, omitCardData: false },
	});
}

// XML and NVP cannot carry null: an InstaMed null arrives there as an empty value.
const asSentIn = (format, fields) =>
	format === 'json'
		? fields
		: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, value ?? '']));

test('the samples cover every selectable trigger', () => {
	expect(Object.keys(messages)).toEqual(
		EVENTS.filter((event) => event.key !== 'unrecognized').map((event) => event.key),
	);
});

describe.each(Object.keys(messages))('%s', (event) => {
	const fields = messages[event];
	const definition = EVENTS.find((candidate) => candidate.key === event);

	test.each(formats)('in %s lands on its trigger with the right item', (format) => {
		const item = receive(format, fields);
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
			request: {
				ip: '34.236.206.189',
				headers: { authorization: '[redacted]', 'x-forwarded-for': '34.236.206.189' },
			},
		});
		expect(item.fields).toEqual(asSentIn(format, fields));
		expect(item.eventKey).toMatch(/^[0-9a-f]{64}$/);
		expect(item).not.toHaveProperty('rawBody');
	});

	test('has one eventKey across formats, null styles, re-deliveries and NVP name casing', () => {
		// JSON sends null; XML and NVP may send the field empty or leave it out.
		const withoutNulls = Object.fromEntries(
			Object.entries(fields).filter(([, value]) => value !== null),
		);
		// While InstaMed re-attempts a post, the transaction's workflow status changes.
		const retried = { ...fields, WorkflowStatus: 'Pending Posting Retry' };
		const keys = [
			...formats.map((format) => receive(format, fields).eventKey),
			...formats.map((format) => receive(format, withoutNulls).eventKey),
			...formats.map((format) => receive(format, retried).eventKey),
			receive('nvp', fields, { lowerCaseNames: true }).eventKey,
			receive('xml', withoutNulls, { root: 'Notification' }).eventKey,
		];
		expect(new Set(keys).size).toBe(1);
		// The content hash tells the retried delivery apart, and agrees across encodings.
		const hashes = formats.map((format) => receive(format, withoutNulls).contentHash);
		expect(new Set([...hashes, receive('json', fields).contentHash]).size).toBe(1);
		expect(receive('json', retried).contentHash).not.toBe(hashes[0]);
	});

	test('is routed the same with lower-cased NVP names, which come back in canonical casing', () => {
		const item = receive('nvp', fields, { lowerCaseNames: true });
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

test('different messages have different eventKeys', () => {
	const keys = Object.values(messages).map((fields) => receive('json', fields).eventKey);
	expect(new Set(keys).size).toBe(keys.length);
});
