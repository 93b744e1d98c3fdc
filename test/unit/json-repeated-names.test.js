// The JSON member scan must see every member, repeats included: JSON.parse keeps only the last
// of a repeated name, so colons, braces and escapes inside strings are what the scan must get right.
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');
const { parseJson } = require('../../nodes/InstaMedTrigger/format/json.ts');
const { collectMessage } = require('../../nodes/InstaMedTrigger/format/message.ts');
const { messages, toJson } = require('../../tools/sample-messages');

function outcome(text) {
	try {
		return { fields: collectMessage('json', parseJson(text)).fields };
	} catch (error) {
		expect(error).toBeInstanceOf(WebhookRejection);
		return { status: error.status, reason: error.reason };
	}
}

// A name outside InstaMed's catalogue is named by its position, never quoted from the body.
const repeated = (label) => ({ status: 400, reason: `${label} repeated with different values` });

describe('repeated names in JSON', () => {
	test.each([
		['plain', '{"A":"1","B":"2","A":"3"}', 'Field 3'],
		['colons in values', '{"A":"1:2","B":"12:30:00","A":"3"}', 'Field 3'],
		['a colon written as an escape', '{"A":"x","A":"\\u003a"}', 'Field 2'],
		['a name written with an escape', '{"\\u0041":"1","A":"2"}', 'Field 2'],
		['a colon inside the repeated name', '{"A:B":"1","A:B":"2"}', 'Field 2'],
		['numbers and literals', '{"A":1,"B":true,"A":2}', 'Field 3'],
		['a known name', '{"Amount":"1.00","Note":"a,b:{c}","Amount":"1.009"}', "Field 'Amount'"],
		['a known name in another case', '{"Amount":"1","amount":"2"}', "Field 'Amount'"],
		['an unknown name in another case', '{"Note":"1","NOTE":"2"}', 'Field 2'],
		['escaped quotes before a repeat', '{"A":"x \\"}{,: \\\\","A":"y"}', 'Field 2'],
	])('%s: refused', (_, text, label) => {
		expect(outcome(text)).toEqual(repeated(label));
	});

	test('a nested value overwritten by a repeat is still seen', () => {
		expect(outcome('{"Patient":{"Name":"x"},"Patient":"y"}')).toEqual({
			status: 400,
			reason: 'Field 1 is nested; InstaMed sends one flat object',
		});
	});

	test('identical repeats collapse into the first spelling, with and without escapes', () => {
		expect(outcome('{"A":"1:2","B":"3","A":"1:2"}')).toEqual({ fields: { A: '1:2', B: '3' } });
		expect(outcome('{"A":"\\u003a","A":":"}')).toEqual({ fields: { A: ':' } });
		expect(outcome('{"Amount":"1","AMOUNT":"1"}')).toEqual({ fields: { Amount: '1' } });
	});

	test('colons in names and values without repeats keep every field', () => {
		expect(outcome('{"A:B":"c:d","ResponseDateTime":"12/14/2017 11:58:06 PM","N":5}')).toEqual({
			fields: { 'A:B': 'c:d', ResponseDateTime: '12/14/2017 11:58:06 PM', N: '5' },
		});
	});

	test('every sample message parses to its own fields', () => {
		for (const fields of Object.values(messages)) {
			expect(outcome(toJson(fields))).toEqual({ fields });
		}
	});

	test('a prototype name is refused', () => {
		expect(outcome('{"A":"1","constructor":"x"}')).toEqual({
			status: 400,
			reason: 'Field 2 has a name that is not allowed',
		});
	});
});
