// Required fields: NVP has no end marker, so a body cut short must be refused for what it lacks.
const { thrownBy } = require('./thrown');
const {
	DEFAULT_REQUIRED_FIELDS,
	checkRequiredFields: checkMessage,
	parseRequiredFields,
} = require('../../nodes/InstaMedTrigger/format/requiredFields.ts');
const { parseNvp: parseNvpEntries } = require('../../nodes/InstaMedTrigger/format/nvp.ts');
const { collectMessage, indexFields } = require('../../nodes/InstaMedTrigger/format/message.ts');
// The check takes a parsed message; field maps built here are indexed as one.
const checkRequiredFields = (fields, required) =>
	checkMessage(indexFields('nvp', fields), required);
const parseNvp = (text) => collectMessage('nvp', parseNvpEntries(text)).fields;
const { messages, toNvp } = require('../../tools/sample-messages');

const defaults = parseRequiredFields(DEFAULT_REQUIRED_FIELDS);

describe('parseRequiredFields', () => {
	test('the default: transaction id, status code or plan transaction type, amount', () => {
		expect(defaults).toEqual([
			['PaymentTransactionID'],
			['CurrentTransactionStatusCode', 'PaymentPlanTransactionType'],
			['Amount'],
		]);
	});

	test('commas or new lines, spaces ignored; empty text means no check', () => {
		expect(parseRequiredFields(' A ,\nB|C \n')).toEqual([['A'], ['B', 'C']]);
		expect(parseRequiredFields('  ')).toEqual([]);
	});

	test.each(['A | ', 'Amount=5', 'two words'])('%p is a configuration error', (text) => {
		expect(() => parseRequiredFields(text)).toThrow(/^Required fields: ".*" is not a field name/);
	});
});

describe('checkRequiredFields', () => {
	test.each(Object.entries(messages))('%s carries the default fields', (_name, fields) => {
		expect(() => checkRequiredFields(fields, defaults)).not.toThrow();
	});

	test('names matched case-insensitively (NVP casing)', () => {
		expect(() =>
			checkRequiredFields(
				{ paymenttransactionid: 'X', paymentplantransactiontype: 'Create', AMOUNT: '1.00' },
				defaults,
			),
		).not.toThrow();
	});

	test('a body cut short before Amount -> 400 naming what is missing', () => {
		const nvp = toNvp(messages.paymentApproved);
		const cut = nvp.slice(0, nvp.indexOf('&Amount='));
		expect(thrownBy(() => checkRequiredFields(parseNvp(cut), defaults))).toMatchObject({
			status: 400,
			reason: 'Missing required fields: Amount',
		});
	});

	test('absent, null and blank are all missing; alternatives are named together', () => {
		const error = thrownBy(() =>
			checkRequiredFields(
				{ PaymentTransactionID: '  ', CurrentTransactionStatusCode: null, Amount: '5.00' },
				defaults,
			),
		);
		expect(error).toMatchObject({
			status: 400,
			reason:
				'Missing required fields: PaymentTransactionID, CurrentTransactionStatusCode or PaymentPlanTransactionType',
		});
	});

	test('no required fields: anything passes', () => {
		expect(() => checkRequiredFields({ Note: 'x' }, [])).not.toThrow();
	});
});
