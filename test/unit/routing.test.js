const { classify: classifyMessage } = require('../../nodes/InstaMedTrigger/routing/classify.ts');
const { indexFields } = require('../../nodes/InstaMedTrigger/format/message.ts');
// classify takes a parsed message; here it gets field maps indexed as one.
const classify = (fields, rules) => classifyMessage(indexFields('json', fields), rules);
const {
	BUILT_IN_RULES,
	parseRules,
	describeRules,
} = require('../../nodes/InstaMedTrigger/routing/rules.ts');
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');
const { messages, edgeMessages } = require('../../tools/sample-messages');

const builtIn = (fields) => classify(fields, BUILT_IN_RULES);

describe('built-in rules', () => {
	test.each(Object.entries(messages))('the %s sample is routed to its trigger', (event, fields) => {
		expect(builtIn(fields)).toBe(event);
	});

	test.each([
		[{ TransactionAction: 'Sale', CurrentTransactionStatusCode: 'A' }, 'paymentApproved'],
		[{ TransactionAction: 'Sale', CurrentTransactionStatusCode: 'O' }, 'paymentApproved'],
		[{ TransactionAction: ' sale ', CurrentTransactionStatusCode: ' c ' }, 'paymentApproved'],
		[{ CurrentTransactionStatusCode: 'X' }, 'paymentVoided'],
		[{ currenttransactionstatuscode: 'd' }, 'paymentDeclined'],
		// A declined refund is a decline: status rules come before the action rules.
		[{ TransactionAction: 'Refund', CurrentTransactionStatusCode: 'D' }, 'paymentDeclined'],
		[{ TransactionAction: 'Refund', CurrentTransactionStatusCode: 'C' }, 'paymentRefunded'],
		[
			{ PaymentPlanTransactionType: 'created', CurrentTransactionStatusCode: 'C' },
			'paymentPlanCreated',
		],
		[{ PaymentPlanTransactionType: 'Add' }, 'paymentPlanCreated'],
		[
			{ PaymentPlanTransactionType: 'Modify', CurrentTransactionStatusCode: 'D' },
			'paymentPlanUpdated',
		],
		[
			{
				PaymentPlanTransactionType: ' ',
				TransactionAction: 'Sale',
				CurrentTransactionStatusCode: 'C',
			},
			'paymentApproved',
		],
		[{ PaymentPlanTransactionType: null, CurrentTransactionStatusCode: 'S' }, 'paymentSettlement'],
		[
			{ CurrentTransactionStatusCode: 'ZZ', CurrentTransactionStatusDescription: 'Gateway ERROR' },
			'paymentError',
		],
		[{ CurrentTransactionStatusDescription: 'Posting error' }, 'paymentError'],
		// A known status described as an error is not guessed to be a Payment Error.
		[
			{
				TransactionAction: 'Authorization',
				CurrentTransactionStatusCode: 'C',
				CurrentTransactionStatusDescription: 'Error',
			},
			'unrecognized',
		],
		[{ TransactionAction: 'Sale', CurrentTransactionStatusCode: 'P' }, 'unrecognized'],
		[{ Amount: '1.00' }, 'unrecognized'],
	])('%j -> %s', (fields, event) => {
		expect(builtIn(fields)).toBe(event);
	});

	test('edge samples: an unknown status described as an error, and a pending authorisation', () => {
		expect(builtIn(edgeMessages.errorByDescription)).toBe('paymentError');
		expect(builtIn(edgeMessages.unrecognized)).toBe('unrecognized');
	});

	test('an exact field name wins over a case-insensitive match', () => {
		expect(builtIn({ CurrentTransactionStatusCode: 'D', currentTransactionStatusCode: 'V' })).toBe(
			'paymentDeclined',
		);
	});

	test('the built-in rules survive a round trip through their JSON (the node default)', () => {
		expect(parseRules(JSON.stringify(BUILT_IN_RULES, null, 2))).toEqual(BUILT_IN_RULES);
	});
});

describe('custom rules override the built-in ones', () => {
	test('a user rule sends pending authorisations to Payment Approved', () => {
		const rules = parseRules(
			JSON.stringify([
				{ event: 'paymentApproved', when: { CurrentTransactionStatusCode: ['P', 'C'] } },
				...BUILT_IN_RULES,
			]),
		);
		expect(classify(edgeMessages.unrecognized, rules)).toBe('paymentApproved');
	});

	test('first match wins, and no match is unrecognized', () => {
		const rules = parseRules(`[
			{ "event": "paymentSettlement", "when": { "TransactionType": ["eCheck"] } },
			{ "event": "paymentChargeback", "when": { "ReasonCodeDescription": { "contains": "fraud" } } }
		]`);
		expect(classify(messages.paymentReturned, rules)).toBe('paymentSettlement');
		expect(classify(messages.paymentChargeback, rules)).toBe('paymentChargeback');
		expect(classify(messages.paymentApproved, rules)).toBe('unrecognized');
	});

	test('every condition kind', () => {
		const rules = parseRules(`[{
			"event": "paymentError",
			"when": {
				"AdditionalCode1": "*",
				"ResponseMessage": { "contains": "funds" },
				"TransactionType": { "notIn": ["Cash"] },
				"CurrentTransactionStatusCode": ["d"]
			}
		}]`);
		expect(classify(messages.paymentDeclined, rules)).toBe('paymentError');
		expect(classify({ ...messages.paymentDeclined, AdditionalCode1: '' }, rules)).toBe(
			'unrecognized',
		);
		expect(classify({ ...messages.paymentDeclined, TransactionType: 'cash' }, rules)).toBe(
			'unrecognized',
		);
		expect(classify({ ...messages.paymentDeclined, ResponseMessage: null }, rules)).toBe(
			'unrecognized',
		);
	});

	test('an absent field is none of a list and nothing else; values and lists compare trimmed, ignoring case', () => {
		const rule = (when) => [{ event: 'paymentError', when }];
		const absent = { Amount: '1.00' };
		expect(classify(absent, rule({ Note: { notIn: ['x'] } }))).toBe('paymentError');
		expect(classify(absent, rule({ Note: '*' }))).toBe('unrecognized');
		expect(classify(absent, rule({ Note: { contains: 'x' } }))).toBe('unrecognized');
		expect(classify({ Note: null }, rule({ Note: { notIn: ['x'] } }))).toBe('paymentError');
		expect(classify({ Note: ' ' }, rule({ Note: { notIn: [' '] } }))).toBe('unrecognized');
		expect(classify({ Note: ' İX ' }, rule({ note: [' i̇x'], NOTE: { contains: 'İ' } }))).toBe(
			'paymentError',
		);
	});

	test('one rule may name a field in two casings: each finds its exact name first', () => {
		const rules = [{ event: 'paymentError', when: { Note: ['a'], note: ['b'] } }];
		expect(classify({ Note: 'a', note: 'b' }, rules)).toBe('paymentError');
		expect(classify({ note: 'b', Note: 'a' }, rules)).toBe('paymentError');
		expect(classify({ NOTE: 'a', note: 'b' }, rules)).toBe('paymentError');
		expect(classify({ note: 'a', NOTE: 'b' }, rules)).toBe('unrecognized');
	});

	test('an empty list routes everything to Unrecognized; an empty "when" matches everything', () => {
		expect(classify(messages.paymentApproved, parseRules('[]'))).toBe('unrecognized');
		expect(
			classify(messages.paymentApproved, parseRules('[{"trigger":"paymentError","when":{}}]')),
		).toBe('paymentError');
	});

	test('a rule may route to Unrecognized explicitly, ahead of broader rules', () => {
		const rules = parseRules(
			JSON.stringify([
				{ event: 'unrecognized', when: { TransactionType: ['Cash'] } },
				...BUILT_IN_RULES,
			]),
		);
		expect(classify({ ...messages.paymentApproved, TransactionType: 'Cash' }, rules)).toBe(
			'unrecognized',
		);
		expect(classify(messages.paymentApproved, rules)).toBe('paymentApproved');
	});
});

describe('parseRules refuses a misconfiguration with a plain Error saying what to fix', () => {
	test.each([
		['not JSON', '[{', /^Routing rules are not valid JSON: /],
		['not an array', '{"event":"paymentError","when":{}}', /must be a JSON array/],
		['a rule that is not an object', '["paymentError"]', /Routing rule 1 must be an object/],
		[
			'an unknown event',
			'[{"event":"paymentSettled","when":{}}]',
			/Routing rule 1 has unknown event "paymentSettled"/,
		],
		['a missing event', '[{"when":{}}]', /Routing rule 1 must name its event once, as "event"/],
		[
			'the event named twice (new and old key)',
			'[{"event":"paymentError","trigger":"paymentError","when":{}}]',
			/Routing rule 1 must name its event once/,
		],
		[
			'a typo in a key',
			'[{"event":"paymentError","When":{}}]',
			/Routing rule 1 has unknown key "When"/,
		],
		['a missing when', '[{"event":"paymentError"}]', /"when" must be an object/],
		[
			'a string condition',
			'[{"event":"paymentError","when":{"Amount":"1.00"}}]',
			/invalid condition for "Amount"/,
		],
		[
			'an empty list',
			'[{"event":"paymentError","when":{"Amount":[]}}]',
			/invalid condition for "Amount"/,
		],
		[
			'a list with a number',
			'[{"event":"paymentError","when":{"Amount":[1]}}]',
			/invalid condition for "Amount"/,
		],
		[
			'a blank contains',
			'[{"event":"paymentError","when":{"Amount":{"contains":" "}}}]',
			/invalid condition/,
		],
		[
			'notIn not a list',
			'[{"event":"paymentError","when":{"Amount":{"notIn":"1"}}}]',
			/invalid condition/,
		],
		[
			'an unknown operator',
			'[{"event":"paymentError","when":{"Amount":{"equals":["1"]}}}]',
			/invalid condition/,
		],
		[
			'two operators',
			'[{"event":"paymentError","when":{"Amount":{"contains":"1","notIn":["2"]}}}]',
			/invalid condition/,
		],
	])('%s', (_name, json, message) => {
		let thrown;
		try {
			parseRules(json);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(Error);
		expect(thrown).not.toBeInstanceOf(WebhookRejection);
		expect(thrown.message).toMatch(message);
	});

	test('the rule number points at the broken rule', () => {
		expect(() =>
			parseRules(JSON.stringify([...BUILT_IN_RULES, { event: 'nope', when: {} }])),
		).toThrow(`Routing rule ${BUILT_IN_RULES.length + 1} has unknown event "nope"`);
	});

	test('rules saved with the first version\'s "trigger" key read as the same rules', () => {
		const legacy = BUILT_IN_RULES.map(({ event, when }) => ({ trigger: event, when }));
		expect(parseRules(JSON.stringify(legacy))).toEqual(BUILT_IN_RULES);
		expect(parseRules(JSON.stringify(BUILT_IN_RULES))).toEqual(BUILT_IN_RULES);
	});
});

describe('describeRules', () => {
	test('the built-in rules, one numbered line each', () => {
		expect(describeRules(BUILT_IN_RULES).split('\n')).toEqual([
			'1. Plan Created: PaymentPlanTransactionType is Create, Created, Add or New',
			'2. Plan Updated: PaymentPlanTransactionType is present',
			'3. Declined: CurrentTransactionStatusCode is D',
			'4. Voided: CurrentTransactionStatusCode is V or X',
			'5. Returned: CurrentTransactionStatusCode is RI',
			'6. Chargeback: CurrentTransactionStatusCode is CB',
			'7. Settlement: CurrentTransactionStatusCode is S',
			'8. Error: CurrentTransactionStatusCode is SE',
			'9. Refunded: TransactionAction is Refund',
			'10. Approved: TransactionAction is Sale and CurrentTransactionStatusCode is C, A or O',
			'11. Error: CurrentTransactionStatusCode is not A, C, O, D, V, X, S, SE, RI or CB and CurrentTransactionStatusDescription contains "error"',
		]);
	});

	test('custom rules, including a catch-all and an explicit Unrecognized', () => {
		const rules = parseRules(`[
			{ "event": "unrecognized", "when": { "TransactionType": { "notIn": ["CreditCard"] } } },
			{ "event": "paymentApproved", "when": {} }
		]`);
		expect(describeRules(rules)).toBe(
			'1. Unrecognized: TransactionType is not CreditCard\n2. Approved: any message',
		);
	});
});
