const { toCents } = require('../../nodes/shared/money.ts');
const { parseInstaMedDateTime } = require('../../nodes/InstaMedTrigger/item/dateTime.ts');
const { indexFields } = require('../../nodes/InstaMedTrigger/format/message.ts');
// The item's parts take a parsed message; here they get field maps indexed as one.
const msg = (fields, format = 'json') => indexFields(format, fields);
const {
	computeEventKey: eventKeyOf,
	EVENT_KEY_FIELDS,
} = require('../../nodes/InstaMedTrigger/item/eventKey.ts');
const {
	computeContentHash: contentHashOf,
} = require('../../nodes/InstaMedTrigger/item/contentHash.ts');
const {
	omitCardData: omitCardDataOf,
	isCardOrBankField,
} = require('../../nodes/InstaMedTrigger/item/cardData.ts');
const computeEventKey = (fields, hash) => eventKeyOf(msg(fields), hash);
const computeContentHash = (fields) => contentHashOf(msg(fields));
const omitCardData = (fields) => omitCardDataOf(msg(fields));
const { redactHeaders } = require('../../nodes/InstaMedTrigger/item/headers.ts');
const { buildItem } = require('../../nodes/InstaMedTrigger/item/buildItem.ts');
const { FIELD_CATALOGUE } = require('../../nodes/InstaMedTrigger/format/fieldCatalogue.ts');
const { messages } = require('../../tools/sample-messages');

describe('toCents', () => {
	test.each([
		['50.00', 5000],
		['0.29', 29],
		['0.1', 10],
		['1234567.89', 123456789],
		['-10.5', -1050],
		['+3.07', 307],
		['7', 700],
		[' 12.30 ', 1230],
		['0.00', 0],
		['-0.00', 0],
		['000012.34', 1234],
		['90071992547409.91', 9007199254740991],
	])('%s -> %s', (amount, cents) => {
		expect(toCents(amount)).toBe(cents);
	});

	test.each([
		['more than two decimals', '1.005'],
		['a thousands separator', '1,234.56'],
		['a currency sign', '$5.00'],
		['a trailing point', '5.'],
		['no integer part', '.50'],
		['an exponent', '1e3'],
		['junk', 'fifty'],
		['empty', ''],
		['null', null],
		['undefined', undefined],
		['too large to be exact', '90071992547409.92'],
	])('%s -> null', (_name, amount) => {
		expect(toCents(amount)).toBeNull();
	});
});

describe('parseInstaMedDateTime', () => {
	test.each([
		['12/14/2017 11:58:06 PM', '2017-12-14T23:58:06.000Z'],
		['12/14/2017 12:00:00 AM', '2017-12-14T00:00:00.000Z'],
		['12/14/2017 12:30:00 PM', '2017-12-14T12:30:00.000Z'],
		['1/5/2018 9:03:41 am', '2018-01-05T09:03:41.000Z'],
		['02/29/2024 01:02:03PM', '2024-02-29T13:02:03.000Z'],
		[' 12/14/2017 23:58:06 ', '2017-12-14T23:58:06.000Z'],
		['02/29/2000 01:00:00', '2000-02-29T01:00:00.000Z'],
		['02/29/0400 01:00:00', '0400-02-29T01:00:00.000Z'],
		['12/31/9999 23:59:59', '9999-12-31T23:59:59.000Z'],
		// Two-digit years are read as 1900-1999, as Date.UTC reads them: 0004 is the leap year 1904.
		['02/29/0004 01:00:00', '1904-02-29T01:00:00.000Z'],
		['1/2/0017 3:04:05 am', '1917-01-02T03:04:05.000Z'],
	])('%s -> %s', (text, iso) => {
		expect(parseInstaMedDateTime(text)).toBe(iso);
	});

	test.each([
		'02/30/2018 10:00:00 AM',
		'02/29/2023 10:00:00 AM',
		'02/29/1900 01:00:00',
		'02/29/0100 01:00:00',
		'02/29/0000 01:00:00',
		'04/31/2018 10:00:00',
		'00/10/2018 10:00:00',
		'10/00/2018 10:00:00',
		'13/01/2018 10:00:00 AM',
		'12/14/2017 13:00:00 PM',
		'12/14/2017 00:00:00 AM',
		'12/14/2017 24:00:00',
		'12/14/2017 11:60:00 PM',
		'2017-12-14T23:58:06Z',
		'12/14/2017',
		'',
		null,
		undefined,
	])('%s -> null', (text) => {
		expect(parseInstaMedDateTime(text)).toBeNull();
	});
});

describe('computeEventKey: the identity of the event', () => {
	const fields = messages.paymentApproved;
	const key = (f) => computeEventKey(f, computeContentHash(f));
	const approvedKey = key(fields);
	const withoutNulls = (f) =>
		Object.fromEntries(Object.entries(f).filter(([, value]) => value !== null));

	test('is 64 hex characters, and names exactly these fields', () => {
		expect(approvedKey).toMatch(/^[0-9a-f]{64}$/);
		expect(EVENT_KEY_FIELDS).toEqual([
			'PaymentTransactionID',
			'OriginalTransactionID',
			'TransactionAction',
			'CurrentTransactionStatusCode',
			'PaymentPlanID',
			'PaymentPlanTransactionType',
			'Amount',
			'ResponseDateTime',
		]);
	});

	test('null, empty and absent are alike; order, name casing and surrounding whitespace do not count', () => {
		expect(key(withoutNulls(fields))).toBe(approvedKey);
		const reshaped = Object.fromEntries(
			Object.entries(fields)
				.reverse()
				.map(([name, value]) => [name.toLowerCase(), value === null ? '' : ` ${value}\n`]),
		);
		expect(key(reshaped)).toBe(approvedKey);
	});

	test('the same amount and instant written differently are one event', () => {
		expect(key({ ...fields, Amount: '50' })).toBe(approvedKey);
		expect(key({ ...fields, ResponseDateTime: '12/14/2017 23:58:06' })).toBe(approvedKey);
	});

	test('delivery state and repeated transaction details do not change it', () => {
		for (const [name, value] of [
			['WorkflowStatus', 'Pending Posting Retry'],
			['WorkflowStatus', 'Posting Error'],
			['PatientLastName', 'Renamed'],
			['CurrentTransactionStatusDescription', 'CAPTURED'],
			['ResponseMessage', 'APPROVED'],
			['AdditionalInfo6', 'added later'],
		]) {
			expect(key({ ...fields, [name]: value })).toBe(approvedKey);
		}
	});

	test('each identity field changes it', () => {
		for (const name of EVENT_KEY_FIELDS) {
			expect(key({ ...fields, [name]: `${fields[name] ?? ''}1` })).not.toBe(approvedKey);
		}
	});

	test('a new state of the same transaction is a new event', () => {
		expect(messages.paymentVoided.PaymentTransactionID).toBe(fields.PaymentTransactionID);
		expect(key(messages.paymentVoided)).not.toBe(approvedKey);
		expect(key(messages.paymentSettlement)).not.toBe(approvedKey);
		expect(key(messages.paymentSettlement)).not.toBe(key(messages.paymentVoided));
	});

	test('no transaction or plan id: keyed on the content, so such messages are never merged', () => {
		const a = { Amount: '5.00', Note: 'a' };
		const b = { Amount: '5.00', Note: 'b' };
		expect(key(a)).toBe(computeContentHash(a));
		expect(key(a)).not.toBe(key(b));
	});

	test('name and value boundaries cannot be shifted to collide', () => {
		expect(key({ PaymentTransactionID: 'a', OriginalTransactionID: 'b' })).not.toBe(
			key({ PaymentTransactionID: 'a","b', OriginalTransactionID: '' }),
		);
	});

	// Users keep the key as a unique key: these values, computed by the first version, must never change.
	const base = {
		PaymentTransactionID: 'T1',
		Amount: '50.00',
		ResponseDateTime: '12/14/2017 11:58:06 PM',
	};
	test.each([
		['paymentApproved', fields, '2417d91ce32145a6cd1e8e6fca3eb5c5eb11499190d058bcea7d9f7c723a8c6c'],
		[
			'paymentPlanCreated',
			messages.paymentPlanCreated,
			'3cd0502eaa3f7a5d35b55404c9dbe6bbe8e04f5b1138deabf1f5e5f7f3b06c06',
		],
		[
			'an id, amount and date',
			base,
			'd84d96bbf93aad88b3047ba6c5f121be106a9f5558774496ce4e1832961ee2d5',
		],
		[
			'an amount and a date that do not parse, kept trimmed',
			{ ...base, Amount: ' 1,234.56 ', ResponseDateTime: ' soon ' },
			'483df057ffe558edb072843a672e272063a611380b1de90ca3e144c9431d7bbb',
		],
		[
			'values JSON escapes',
			{ PaymentTransactionID: 'a"b\\c\u0001\ud800é', TransactionAction: '\u2028Sale' },
			'8dda308c417987b61cbf70ddd4618d80d40873bf82f3b588183561ffe858e6c6',
		],
		[
			'a plan id only',
			{ PaymentPlanID: ' PP-1 ', PaymentPlanTransactionType: 'Create' },
			'7774d0814e8b12add3d61d6ed9cf4addc2261ce39124beeb087c7328291ef279',
		],
		[
			'names repeated in other casings: the exact name, else the first',
			{ paymenttransactionid: 'second', PAYMENTTRANSACTIONID: 'third', amount: '1', Amount: '2' },
			'b3b9b9ac9bdc223d4705ea7548989c1dc6f7d66ebb3cee5c538d149eb17013bb',
		],
		[
			'a blank id: keyed on the content',
			{ PaymentTransactionID: '  ', PaymentPlanID: null, Amount: '5' },
			'4279987fcd688a63d480931099c202bba1b3cbe11d4d576da26863f5806680c4',
		],
	])('%s: the key stored by earlier versions', (_name, input, expected) => {
		expect(key(input)).toBe(expected);
	});
});

describe('computeContentHash: every field with a value', () => {
	const fields = messages.paymentApproved;
	const hash = computeContentHash(fields);

	test('ignores order, name casing, whitespace, and null versus empty versus absent', () => {
		const reshaped = Object.fromEntries(
			Object.entries(fields)
				.reverse()
				.filter(([, value]) => value !== null)
				.map(([name, value]) => [name.toLowerCase(), ` ${value}\n`]),
		);
		expect(computeContentHash(reshaped)).toBe(hash);
		expect(computeContentHash({ ...fields, ExtraField: '' })).toBe(hash);
	});

	test('changes when any value changes, delivery state included', () => {
		for (const name of Object.keys(fields)) {
			expect(computeContentHash({ ...fields, [name]: `${fields[name] ?? ''}x` })).not.toBe(hash);
		}
		expect(computeContentHash({ ...fields, WorkflowStatus: 'Pending Posting Retry' })).not.toBe(
			hash,
		);
		const { UserID, ...withoutUser } = fields;
		expect(computeContentHash(withoutUser)).not.toBe(hash);
	});

	test('name and value boundaries cannot be shifted to collide', () => {
		expect(computeContentHash({ ab: 'c' })).not.toBe(computeContentHash({ a: 'bc' }));
		expect(computeContentHash({ a: 'b', c: 'd' })).not.toBe(
			computeContentHash({ a: 'b","c', '': 'd' }),
		);
	});
});

describe('omitCardData', () => {
	test('drops card and bank fields, keeps everything else', () => {
		const kept = omitCardData({
			...messages.paymentApproved,
			...messages.paymentReturned,
			Track2Data: ';4111=',
			cvnResult: 'M',
		});
		for (const name of [
			...FIELD_CATALOGUE.card,
			...FIELD_CATALOGUE.bank,
			'AVSResultCode',
			'CVVResultCode',
			'EMVApplicationIdentifier',
			'Track2Data',
			'cvnResult',
		]) {
			expect(kept).not.toHaveProperty(name);
		}
		expect(kept).toMatchObject({
			PaymentTransactionID: messages.paymentReturned.PaymentTransactionID,
			TransactionType: 'eCheck',
			Amount: '0.29',
			PatientLastName: 'Testpatient',
			AdditionalCode1: 'ENC-2017-1214-0042',
		});
	});

	test('matches names whatever their casing, and leaves the input alone', () => {
		expect(isCardOrBankField('cardlastfourdigits')).toBe(true);
		expect(isCardOrBankField('routingnumber')).toBe(true);
		expect(isCardOrBankField('PatientID')).toBe(false);
		const fields = { ...messages.paymentApproved };
		omitCardData(fields);
		expect(fields).toEqual(messages.paymentApproved);
	});
});

test('redactHeaders hides credentials and client certificates, keeps the rest', () => {
	expect(
		redactHeaders({
			authorization: 'Basic aW5zdGFtZWQ6c2VjcmV0',
			'Proxy-Authorization': 'Bearer abc',
			cookie: 'session=1',
			'x-ssl-client-cert': '-----BEGIN CERTIFICATE-----',
			'x-ssl-client-verify': 'SUCCESS',
			'content-type': 'application/json',
			'x-forwarded-for': ['203.0.113.9', '10.0.0.1'],
			'x-absent': undefined,
		}),
	).toEqual({
		authorization: '[redacted]',
		'proxy-authorization': '[redacted]',
		cookie: '[redacted]',
		'x-ssl-client-cert': '[redacted]',
		'x-ssl-client-verify': 'SUCCESS',
		'content-type': 'application/json',
		'x-forwarded-for': ['203.0.113.9', '10.0.0.1'],
	});
});

test('redactHeaders hides the proxy secret and credential-like headers with no setting at all', () => {
	// A proxy may send its secret to a trigger that does not require it (issue 20, finding 11).
	expect(
		redactHeaders({
			'X-Proxy-Secret': 's3cret-value-1234',
			'x-api-key': 'k',
			'x-auth-token': 't',
			'x-webhook-signature': 's',
			'x-instamed-session': 's',
			'x-forwarded-for': '203.0.113.9',
		}),
	).toEqual({
		'x-proxy-secret': '[redacted]',
		'x-api-key': '[redacted]',
		'x-auth-token': '[redacted]',
		'x-webhook-signature': '[redacted]',
		'x-instamed-session': '[redacted]',
		'x-forwarded-for': '203.0.113.9',
	});
});

test('redactHeaders also hides configured secret headers, whatever their case', () => {
	expect(
		redactHeaders({ 'x-proxy-secret': 's3cret', 'x-other': 'kept' }, ['X-Proxy-Secret']),
	).toEqual({ 'x-proxy-secret': '[redacted]', 'x-other': 'kept' });
});

describe('buildItem', () => {
	const receivedAt = new Date('2017-12-15T00:00:01.000Z');
	const body = Buffer.from(JSON.stringify(messages.paymentApproved));
	const req = {
		ip: '34.236.206.189',
		headers: { authorization: 'Basic aW5zdGFtZWQ6c2VjcmV0', 'content-type': 'application/json' },
	};
	const build = ({ format = 'json', fields = messages.paymentApproved, ...overrides } = {}) =>
		buildItem({
			event: 'paymentApproved',
			message: msg(fields, format),
			body,
			req,
			options: { includeRawBody: false, omitCardData: false },
			receivedAt,
			...overrides,
		});

	test('yields exactly the item the README describes', () => {
		expect(build()).toEqual({
			event: 'paymentApproved',
			trigger: 'Payment Approved',
			category: 'payment',
			eventKey: computeEventKey(
				messages.paymentApproved,
				computeContentHash(messages.paymentApproved),
			),
			contentHash: computeContentHash(messages.paymentApproved),
			transactionId: '7E1C3D5AB2F04C6B9D0E8A1F2C3B4D5E',
			originalTransactionId: null,
			statusCode: 'C',
			statusDescription: 'Captured',
			action: 'Sale',
			transactionType: 'CreditCard',
			paymentPlanId: null,
			amount: '50.00',
			amountCents: 5000,
			outlet: '1234567890-0001-0001',
			responseDateTime: '2017-12-14T23:58:06.000Z',
			format: 'json',
			receivedAt: '2017-12-15T00:00:01.000Z',
			fields: messages.paymentApproved,
			request: { ip: '34.236.206.189' },
		});
	});

	test('includeHeaders adds the headers, credentials redacted', () => {
		const options = { includeRawBody: false, omitCardData: false, includeHeaders: true };
		expect(build({ options }).request).toEqual({
			ip: '34.236.206.189',
			headers: { authorization: '[redacted]', 'content-type': 'application/json' },
		});
	});

	test('the fields are the parsed map itself, left unchanged', () => {
		const before = { ...messages.paymentApproved };
		expect(build().fields).toBe(messages.paymentApproved);
		expect(messages.paymentApproved).toEqual(before);
	});

	test('includeRawBody adds the body as text', () => {
		expect(build({ options: { includeRawBody: true, omitCardData: false } }).rawBody).toBe(
			body.toString(),
		);
	});

	test('omitCardData drops card fields but keeps the eventKey and content hash of the whole message', () => {
		const item = build({ options: { includeRawBody: false, omitCardData: true } });
		expect(item.fields).not.toHaveProperty('CardLastFourDigits');
		expect(item.fields).toHaveProperty('PatientID');
		expect(item.eventKey).toBe(build().eventKey);
		expect(item.contentHash).toBe(build().contentHash);
	});

	test('the outlet is composed from its parts when Outlet is absent or blank', () => {
		const { Outlet, ...withoutOutlet } = messages.paymentApproved;
		expect(build({ fields: withoutOutlet }).outlet).toBe('1234567890-0001-0001');
		expect(build({ fields: { ...withoutOutlet, Outlet: ' ' } }).outlet).toBe(
			'1234567890-0001-0001',
		);
		expect(build({ fields: { MerchantID: '1', StoreID: '2' } }).outlet).toBeNull();
	});

	test('summary values are found whatever the casing; blank or absent ones are null', () => {
		const item = build({
			event: 'unrecognized',
			format: 'nvp',
			fields: {
				amount: ' 12.5 ',
				paymenttransactionid: 'T1',
				ResponseDateTime: 'soon',
				TransactionAction: '',
			},
			req: { headers: {} },
		});
		expect(item).toMatchObject({
			event: 'unrecognized',
			trigger: 'Unrecognized',
			category: 'unknown',
			transactionId: 'T1',
			amount: '12.5',
			amountCents: 1250,
			action: null,
			statusCode: null,
			responseDateTime: null,
			outlet: null,
			format: 'nvp',
			request: { ip: null },
		});
	});

	test('a payment-plan item', () => {
		expect(
			build({ event: 'paymentPlanUpdated', fields: messages.paymentPlanUpdated }),
		).toMatchObject({
			trigger: 'Payment Plan Updated',
			category: 'paymentPlan',
			paymentPlanId: 'PP-20180110-000017',
		});
	});

	test('receivedAt defaults to now and is not part of the eventKey', () => {
		const before = Date.now();
		const item = build({ receivedAt: undefined });
		expect(Date.parse(item.receivedAt)).toBeGreaterThanOrEqual(before);
		expect(item.eventKey).toBe(build().eventKey);
	});
});
