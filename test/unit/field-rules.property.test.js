// The field rules as properties over generated bodies (fast-check): every format reads back what
// was sent; names are one name in any letter case; values a database cannot store are refused;
// bare JSON numbers keep their text; and whatever the body, the answer is a message or a
// WebhookRejection whose reason quotes nothing of the body.
const fc = require('fast-check');
const { parseBody } = require('../../nodes/InstaMedTrigger/format/parseBody.ts');
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');
const { canonicalFieldNames } = require('../../nodes/InstaMedTrigger/format/fieldCatalogue.ts');
const { toJson, toXml, toNvp } = require('../../tools/sample-messages');

const CONTENT_TYPES = {
	json: 'application/json',
	xml: 'application/xml',
	nvp: 'application/x-www-form-urlencoded',
};
const SERIALISE = { json: toJson, xml: toXml, nvp: toNvp };
const FORMATS = Object.keys(CONTENT_TYPES);

const parse = (format, text) => parseBody(CONTENT_TYPES[format], Buffer.from(text, 'utf8'), 'auto');

function rejectionOf(run) {
	try {
		run();
	} catch (error) {
		if (error instanceof WebhookRejection) return error;
		throw error;
	}
	return undefined;
}

// Names outside the catalogue (a known name is re-spelled by NVP), valid in XML, JSON and forms.
const unknownName = fc
	.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,30}$/)
	.map((name) => `X${name}`)
	.filter((name) => !name.toLowerCase().startsWith('xml'));
const knownName = fc.constantFrom(...canonicalFieldNames);
// Text every format carries unchanged: Unicode without NUL, other C0 controls or CR (XML 1.0
// allows no C0 control but tab and line feed, and turns CR into a line feed).
const value = fc
	.string({ unit: 'grapheme', maxLength: 40 })
	.filter((text) => !/[\u0000-\u0008\u000b-\u001f]/.test(text) && !text.includes('\r'));

/** Field maps whose names differ from each other in more than letter case. */
const fieldMaps = fc
	.uniqueArray(fc.tuple(fc.oneof(unknownName, knownName), value), {
		minLength: 1,
		maxLength: 30,
		selector: ([name]) => name.toLowerCase(),
	})
	.map((entries) => Object.fromEntries(entries));

/** A value's text as a reason might show it, long enough not to be a chance match. */
const showsValue = (reason, values) =>
	values.some((text) => text.trim().length >= 6 && reason.includes(text.trim()));

describe('every format reads back the fields it was sent', () => {
	test.each(FORMATS)('%s', (format) => {
		fc.assert(
			fc.property(fieldMaps, (fields) => {
				// A form body encodes every whitespace character of its values (`+`, `%09`, …), so the
				// trim of the body's ends never reaches a value: all three formats read back as sent.
				const message = parse(format, SERIALISE[format](fields));
				expect(message.format).toBe(format);
				expect(message.fields).toEqual(fields);
				expect(message.names).toEqual(Object.keys(fields));
			}),
			{ numRuns: 200 },
		);
	});
});

describe('names are one name in any letter case, in every format', () => {
	const caseRepeat = fc
		.tuple(fc.oneof(unknownName, knownName), value, value, fc.boolean())
		.filter(([name, a, b]) => a !== b && name.toLowerCase() !== name.toUpperCase())
		.map(([name, a, b, upper]) => ({
			name,
			fields: [
				[name, a],
				[upper ? name.toUpperCase() : name.toLowerCase(), b],
			],
		}))
		.filter(({ fields }) => fields[0][0] !== fields[1][0]);

	test.each(FORMATS)(
		'%s: a repeat with another value is refused 400, the value never shown',
		(format) => {
			fc.assert(
				fc.property(caseRepeat, ({ fields }) => {
					const text = serialiseEntries(format, fields);
					const rejection = rejectionOf(() => parse(format, text));
					expect(rejection?.status).toBe(400);
					expect(rejection.reason).toMatch(/repeated with different values$/);
					expect(
						showsValue(
							rejection.reason,
							fields.map(([, v]) => v),
						),
					).toBe(false);
				}),
				{ numRuns: 150 },
			);
		},
	);
});

/** A body with the entries in order, repeats included (a field map cannot hold them). */
function serialiseEntries(format, entries) {
	if (format === 'json') {
		return `{${entries.map(([name, text]) => `${JSON.stringify(name)}:${JSON.stringify(text)}`).join(',')}}`;
	}
	if (format === 'xml') {
		const escape = (text) =>
			text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
		return `<r>${entries.map(([name, text]) => `<${name}>${escape(text)}</${name}>`).join('')}</r>`;
	}
	return entries.map(([name, text]) => toNvp({ [name]: text })).join('&');
}

describe('values a database cannot store are refused 400, naming the field', () => {
	const unstorable = fc.constantFrom(
		['json', '{"Amount":"1.00","AdditionalInfo1":"a\\u0000b"}', "Field 'AdditionalInfo1'"],
		['json', '{"Amount":"1.00","Note":"\\ud800"}', 'Field 2'],
		['json', '{"Amount":"1.00","Note":"x\\udc00y"}', 'Field 2'],
		['json', '{"Amount":"1.00","\\u0000":"x"}', 'Field 2'],
		['nvp', 'Amount=1.00&AdditionalInfo1=%00', "Field 'AdditionalInfo1'"],
		[
			'xml',
			'<r><Amount>1.00</Amount><AdditionalInfo1>&#0;</AdditionalInfo1></r>',
			"Field 'AdditionalInfo1'",
		],
		['xml', '<r><Amount>1.00</Amount><Note>&#xD800;</Note></r>', 'Field 2'],
	);
	test('NUL and lone surrogates, escaped in any format', () => {
		fc.assert(
			fc.property(unstorable, ([format, text, label]) => {
				const rejection = rejectionOf(() => parse(format, text));
				expect(rejection?.status).toBe(400);
				expect(rejection.reason).toContain(label);
			}),
		);
	});

	test('wherever a NUL or lone surrogate escape sits in a JSON string value', () => {
		fc.assert(
			fc.property(
				value,
				value,
				fc.constantFrom('\\u0000', '\\ud800', '\\udfff'),
				(before, after, escape) => {
					const text = `{"Amount":"1.00","AdditionalInfo2":${JSON.stringify(before).slice(0, -1)}${escape}${JSON.stringify(after).slice(1)}}`;
					expect(rejectionOf(() => parse('json', text))?.reason).toMatch(
						/^Field 'AdditionalInfo2' contains a (NUL character|lone surrogate)/,
					);
				},
			),
		);
	});
});

describe('a bare JSON number keeps the text it was sent as', () => {
	const numberText = fc.oneof(
		fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
		fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
		fc
			.tuple(fc.nat(), fc.nat({ max: 99 }), fc.constantFrom('', 'e3', 'E-2', 'e+10'))
			.map(([whole, cents, exponent]) => `${whole}.${String(cents).padStart(2, '0')}${exponent}`),
	);
	test('never a round trip through a double', () => {
		fc.assert(
			fc.property(numberText, (text) => {
				expect(parse('json', `{"Amount":${text}}`).fields.Amount).toBe(text);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('any body: a message or a WebhookRejection, never text of the body in the reason', () => {
	const anyBody = fc.oneof(
		fc.string({ unit: 'binary', maxLength: 200 }),
		fieldMaps.chain((fields) =>
			fc.constantFrom(...FORMATS).map((format) => SERIALISE[format](fields)),
		),
		fc
			.tuple(fieldMaps, fc.constantFrom(...FORMATS), fc.nat(), fc.string({ maxLength: 8 }))
			.map(([fields, format, at, noise]) => {
				const text = SERIALISE[format](fields);
				const cut = at % (text.length + 1);
				return text.slice(0, cut) + noise + text.slice(cut);
			}),
	);
	test.each([...FORMATS, 'sniffed'])('%s', (format) => {
		fc.assert(
			fc.property(anyBody, (text) => {
				const contentType = format === 'sniffed' ? undefined : CONTENT_TYPES[format];
				try {
					parseBody(contentType, Buffer.from(text, 'utf8'), 'auto');
				} catch (error) {
					expect(error).toBeInstanceOf(WebhookRejection);
					expect(error.reason).toMatch(/^[\x20-\x7e]{1,200}$/);
					// Any quoted name in a reason is a catalogue name.
					for (const [, quoted] of error.reason.matchAll(/'([^']*)'/g)) {
						expect([...canonicalFieldNames, ',', '}', ']', ':', '{', '[', '"', '...']).toContain(
							quoted,
						);
					}
				}
			}),
			{ numRuns: 500 },
		);
	});
});
