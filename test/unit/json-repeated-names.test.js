// The JSON parser's quick check for repeated names must never let a repeat through: it decides
// from the colons of the text, so colons and escapes inside strings are what it must get right.
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');
const { parseJson } = require('../../nodes/InstaMedTrigger/format/json.ts');
const { messages, toJson } = require('../../tools/sample-messages');

function outcome(text) {
	try {
		return { fields: parseJson(text) };
	} catch (error) {
		expect(error).toBeInstanceOf(WebhookRejection);
		return { status: error.status, reason: error.reason };
	}
}

const repeated = (name) => ({
	status: 400,
	reason: `Field '${name}' repeated with different values`,
});

describe('repeated names in JSON', () => {
	test.each([
		['plain', '{"A":"1","B":"2","A":"3"}', 'A'],
		['colons in values', '{"A":"1:2","B":"12:30:00","A":"3"}', 'A'],
		['a colon written as an escape', '{"A":"x","A":"\\u003a"}', 'A'],
		['a name written with an escape', '{"\\u0041":"1","A":"2"}', 'A'],
		['a colon inside the repeated name', '{"A:B":"1","A:B":"2"}', 'A:B'],
		['numbers and literals', '{"A":1,"B":true,"A":2}', 'A'],
	])('%s: refused', (_, text, name) => {
		expect(outcome(text)).toEqual(repeated(name));
	});

	test('a nested value overwritten by a repeat is still seen', () => {
		expect(outcome('{"Patient":{"Name":"x"},"Patient":"y"}')).toEqual({
			status: 400,
			reason: "Field 'Patient' is nested; InstaMed sends one flat object",
		});
	});

	test('identical repeats collapse, with and without escapes', () => {
		expect(outcome('{"A":"1:2","B":"3","A":"1:2"}')).toEqual({ fields: { A: '1:2', B: '3' } });
		expect(outcome('{"A":"\\u003a","A":":"}')).toEqual({ fields: { A: ':' } });
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

	test('a prototype name is refused on the quick path too', () => {
		expect(outcome('{"constructor":"x","A":"1"}')).toEqual({
			status: 400,
			reason: "Field name 'constructor' is not allowed",
		});
	});
});
