const { thrownBy } = require('./thrown');
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');
const { decodeBody } = require('../../nodes/InstaMedTrigger/format/decode.ts');
const { detectFormat } = require('../../nodes/InstaMedTrigger/format/detect.ts');
const json = require('../../nodes/InstaMedTrigger/format/json.ts');
const xml = require('../../nodes/InstaMedTrigger/format/xml.ts');
const nvp = require('../../nodes/InstaMedTrigger/format/nvp.ts');
const { parseBody } = require('../../nodes/InstaMedTrigger/format/parseBody.ts');
const { canonicalFieldNames } = require('../../nodes/InstaMedTrigger/format/fieldCatalogue.ts');
const {
	collectMessage,
	indexFields,
	lookupField: lookupInMessage,
} = require('../../nodes/InstaMedTrigger/format/message.ts');

// Each parser lists the body's fields; the message collects them (repeats, names, values checked).
const parseJson = (text) => collectMessage('json', json.parseJson(text)).fields;
const parseXml = (text) => collectMessage('xml', xml.parseXml(text)).fields;
const parseNvp = (text) => collectMessage('nvp', nvp.parseNvp(text)).fields;
const lookupField = (fields, name) => lookupInMessage(indexFields('json', fields), name);

function rejectionFrom(action) {
	const error = thrownBy(action);
	expect(error).toBeInstanceOf(WebhookRejection);
	return { status: error.status, reason: error.reason };
}

const parse = (contentType, body, forced = 'auto') =>
	parseBody(contentType, Buffer.isBuffer(body) ? body : Buffer.from(body), forced);
const rejectionOfBody = (contentType, body, forced) =>
	rejectionFrom(() => parse(contentType, body, forced));

describe('detectFormat', () => {
	const detect = (contentType, body = '', forced = 'auto') =>
		detectFormat(contentType, Buffer.from(body), forced);

	test.each([
		['application/json', 'json'],
		['application/json; charset=utf-8', 'json'],
		['Application/JSON', 'json'],
		['text/json', 'json'],
		['application/vnd.instamed.notification+json', 'json'],
		['application/xml', 'xml'],
		['text/xml; charset=UTF-8', 'xml'],
		['application/soap+xml', 'xml'],
		['application/x-www-form-urlencoded', 'nvp'],
		['application/x-www-form-urlencoded; charset=utf-8', 'nvp'],
	])('a specific Content-Type decides: %s -> %s', (contentType, format) => {
		// The body says otherwise: a specific type wins over sniffing.
		expect(detect(contentType, '#')).toBe(format);
	});

	test.each([undefined, '', 'text/plain', 'application/octet-stream', 'text/plain; charset=utf-8'])(
		'a missing or generic Content-Type (%s) sniffs the body',
		(contentType) => {
			expect(detect(contentType, '{"Amount":"1.00"}')).toBe('json');
			expect(detect(contentType, '[1]')).toBe('json');
			expect(detect(contentType, '<Root/>')).toBe('xml');
			expect(detect(contentType, 'Amount=1.00')).toBe('nvp');
		},
	);

	test('sniffing skips a BOM and leading whitespace', () => {
		const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \r\n\t<Root/>')]);
		expect(detectFormat(undefined, body, 'auto')).toBe('xml');
	});

	test('a forced format overrides the Content-Type, even an unsupported one', () => {
		expect(detect('application/json', '<R/>', 'xml')).toBe('xml');
		expect(detect('multipart/form-data', 'a=b', 'nvp')).toBe('nvp');
		expect(detect('application/xml', '{}', 'json')).toBe('json');
	});

	test.each(['multipart/form-data; boundary=x', 'image/png', 'text/html'])(
		'a specific unsupported Content-Type (%s) is refused with 415 naming it',
		(contentType) => {
			const rejection = rejectionFrom(() => detect(contentType, 'a=b'));
			expect(rejection.status).toBe(415);
			expect(rejection.reason).toBe(`Unsupported Content-Type '${contentType.split(';')[0]}'`);
		},
	);

	test('the named type is sanitised for the reason phrase', () => {
		const rejection = rejectionFrom(() => detect('image/png\r\nX-Evil: 1', 'a=b'));
		expect(rejection.reason).toMatch(/^Unsupported Content-Type '[a-z0-9/.:-]*'$/);
	});
});

describe('decodeBody', () => {
	test('strips a BOM and keeps the text exact', () => {
		const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Name=Zoë')]);
		expect(decodeBody(body)).toBe('Name=Zoë');
	});

	test.each([
		['an empty body', Buffer.alloc(0), 'Empty body'],
		['a blank body', Buffer.from(' \r\n '), 'Empty body'],
		['a binary body', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'NUL'],
		['invalid UTF-8', Buffer.from([0x41, 0x3d, 0xc3, 0x28, 0xff]), 'not valid UTF-8'],
		['a truncated UTF-8 sequence', Buffer.from([0x41, 0x3d, 0xe2, 0x82]), 'not valid UTF-8'],
	])('refuses %s with 400', (_name, body, reason) => {
		const rejection = rejectionFrom(() => decodeBody(body));
		expect(rejection.status).toBe(400);
		expect(rejection.reason).toContain(reason);
	});
});

describe('parseJson', () => {
	test('one flat object: strings kept, numbers exactly as written, booleans as text, null kept', () => {
		expect(
			parseJson(
				'{"Amount":"50.00","InstallmentCount":6,"Fee":0.290,"Big":9007199254740993,"E":-1.5E+3,"IsPartiallyApproved":false,"PaymentPlanID":null}',
			),
		).toEqual({
			Amount: '50.00',
			InstallmentCount: '6',
			Fee: '0.290',
			Big: '9007199254740993',
			E: '-1.5E+3',
			IsPartiallyApproved: 'false',
			PaymentPlanID: null,
		});
	});

	test('returns a plain object', () => {
		expect(Object.getPrototypeOf(parseJson('{"a":"b"}'))).toBe(Object.prototype);
	});

	test('a repeated name with different values is refused, not silently the last one', () => {
		expect(
			rejectionFrom(() => parseJson('{"Amount":"50.00","Note":"a,b:{c}","Amount":"50.009"}')),
		).toEqual({ status: 400, reason: "Field 'Amount' repeated with different values" });
		expect(rejectionFrom(() => parseJson('{"Note":"1","note":"2"}'))).toEqual({
			status: 400,
			reason: 'Field 2 repeated with different values',
		});
	});

	test('a repeated name with the same value collapses; quotes, braces and escapes in strings stay intact', () => {
		const tricky = String.raw`x "}{,: \\ end`;
		const text = String.raw`{"A":"x \"}{,: \\\\ end", "B" : 7 ,"A":"x \"}{,: \\\\ end","C":null}`;
		expect(parseJson(text)).toEqual({ A: tricky, B: '7', C: null });
	});
});

describe('parseXml', () => {
	test('any root; children are fields under their exact names; empty elements are empty', () => {
		const xml = `<?xml version="1.0" encoding="utf-8"?>
			<!-- sent by InstaMed -->
			<notification>
				<PaymentTransactionID>7E1C</PaymentTransactionID>
				<paymentPlanID/>
				<Amount currency="USD">50.00</Amount>
				<OutletDescription><![CDATA[Smith & <Sons>]]></OutletDescription>
				<AuthorizationCode></AuthorizationCode>
			</notification>`;
		expect(parseXml(xml)).toEqual({
			PaymentTransactionID: '7E1C',
			paymentPlanID: '',
			Amount: '50.00',
			OutletDescription: 'Smith & <Sons>',
			AuthorizationCode: '',
		});
	});

	test('decodes the predefined entities and character references once, nothing else; CDATA verbatim', () => {
		expect(
			parseXml(
				'<R><A>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;</A><B>&amp;lt;</B><C>&custom;</C><D><![CDATA[a &amp; b]]></D></R>',
			),
		).toEqual({ A: 'a & b <c> "d" \'e\' AB', B: '&lt;', C: '&custom;', D: 'a &amp; b' });
	});

	test('names differing only in letter case are one name: repeats refused or collapsed', () => {
		expect(rejectionFrom(() => parseXml('<R><Amount>1</Amount><AMOUNT>2</AMOUNT></R>'))).toEqual({
			status: 400,
			reason: "Field 'Amount' repeated with different values",
		});
		expect(parseXml('<R><Amount>1</Amount><amount>1</amount></R>')).toEqual({ Amount: '1' });
	});

	test('identical repeated elements collapse', () => {
		expect(parseXml('<R><Amount>1.00</Amount><Amount>1.00</Amount></R>')).toEqual({
			Amount: '1.00',
		});
	});
});

describe('parseNvp', () => {
	test('form decoding: + is a space, percent escapes, a name without = is empty', () => {
		expect(
			parseNvp('CardHolderName=Jane+Q+Doe&OutletDescription=Smith%20%26%20Sons&Fee=%2B1&Flag\n'),
		).toEqual({
			CardHolderName: 'Jane Q Doe',
			OutletDescription: 'Smith & Sons',
			Fee: '+1',
			Flag: '',
		});
	});

	test('known names in any casing become InstaMed canonical names; unknown names are kept', () => {
		expect(
			parseNvp(
				'paymenttransactionid=1&CURRENTTRANSACTIONSTATUSCODE=C&additionalcode3description=x&avsResultCode=Y',
			),
		).toEqual({
			PaymentTransactionID: '1',
			CurrentTransactionStatusCode: 'C',
			AdditionalCode3Description: 'x',
			avsResultCode: 'Y',
		});
	});

	test('every canonical name round-trips from lower case', () => {
		const body = canonicalFieldNames.map((name) => `${name.toLowerCase()}=v`).join('&');
		expect(Object.keys(parseNvp(body))).toEqual(canonicalFieldNames);
	});

	test('repeated keys never crash: identical values collapse, also across casing', () => {
		expect(parseNvp('Amount=1.00&amount=1.00&AMOUNT=1.00')).toEqual({ Amount: '1.00' });
	});
});

describe('bad bodies are refused with a status and a reason naming the problem', () => {
	const secret = 'Testpatient';

	test.each([
		['empty body', 'application/json', '', 400, 'Empty body'],
		['empty body without a type', undefined, '', 400, 'Empty body'],
		[
			'binary body',
			'application/octet-stream',
			Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]),
			400,
			'NUL bytes',
		],
		[
			'invalid UTF-8',
			'application/x-www-form-urlencoded',
			Buffer.from([0x61, 0x3d, 0xff]),
			400,
			'not valid UTF-8',
		],
		[
			'truncated JSON',
			'application/json',
			`{"PatientLastName":"${secret}","Amount":"5`,
			400,
			'Malformed JSON: Unterminated string',
		],
		[
			'JSON truncated after a name',
			'application/json',
			`{"PatientLastName":"${secret}","Amount":`,
			400,
			'Malformed JSON: Unexpected end of input',
		],
		[
			'JSON with a bare word',
			'application/json',
			`{"PatientLastName":${secret}}`,
			400,
			'Malformed JSON: Unexpected token',
		],
		[
			'JSON with trailing data',
			'application/json',
			`{"a":"b"} ${secret}`,
			400,
			'Malformed JSON: Unexpected non-whitespace character after JSON',
		],
		[
			'JSON array',
			'application/json',
			`[{"PatientLastName":"${secret}"}]`,
			400,
			'JSON body must be one object',
		],
		['JSON string', 'application/json', `"${secret}"`, 400, 'JSON body must be one object'],
		['JSON null', 'application/json', 'null', 400, 'JSON body must be one object'],
		['empty JSON object', 'application/json', '{}', 400, 'JSON object has no fields'],
		[
			'nested JSON object',
			'application/json',
			`{"Amount":"1.00","Patient":{"LastName":"${secret}"}}`,
			400,
			'Field 2 is nested',
		],
		[
			'JSON array field',
			'application/json',
			`{"AdditionalInfo1":["${secret}"]}`,
			400,
			"Field 'AdditionalInfo1' is nested",
		],
		[
			'unclosed XML',
			'application/xml',
			`<R><PatientLastName>${secret}</PatientLastName>`,
			400,
			'Malformed XML: unclosed tag (line 1)',
		],
		[
			'mismatched XML',
			'text/xml',
			`<R><PatientLastName>${secret}</Amount></R>`,
			400,
			'Malformed XML: ',
		],
		[
			'XML with an invalid name',
			'text/xml',
			`<R><${secret} x></${secret}></R>`,
			400,
			'Malformed XML: ',
		],
		[
			'XML with two roots',
			'application/xml',
			`<A>${secret}</A><B>2</B>`,
			400,
			'Malformed XML: documents may contain only one root (line 1)',
		],
		[
			'XML with two empty roots',
			'application/xml',
			'<A/><B/>',
			400,
			'Malformed XML: documents may contain only one root (line 1)',
		],
		[
			'XML with a repeated empty root',
			'application/xml',
			'<A/><A/>',
			400,
			'Malformed XML: documents may contain only one root (line 1)',
		],
		[
			'XML with no fields',
			'application/xml',
			'<PaymentTransactionNotification/>',
			400,
			'XML root element has no fields',
		],
		[
			'XML root with only text',
			'application/xml',
			`<R>${secret}</R>`,
			400,
			'XML root element has no fields',
		],
		[
			'XML root with stray text',
			'application/xml',
			`<R>${secret}<Amount>1</Amount></R>`,
			400,
			'XML root element has text outside its fields',
		],
		[
			'nested XML',
			'application/xml',
			`<R><Patient><LastName>${secret}</LastName></Patient></R>`,
			400,
			'Field 1 has child elements',
		],
		[
			'XML repeated with different values',
			'application/xml',
			`<R><PatientLastName>${secret}</PatientLastName><PatientLastName>Other</PatientLastName></R>`,
			400,
			"Field 'PatientLastName' repeated with different values",
		],
		[
			'unsupported type',
			'multipart/form-data; boundary=----x',
			'------x--',
			415,
			"Unsupported Content-Type 'multipart/form-data'",
		],
		[
			'image',
			'image/png',
			Buffer.from([0x89, 0x50, 0x4e, 0x47]),
			415,
			"Unsupported Content-Type 'image/png'",
		],
		[
			'NVP repeated keys with different values',
			'application/x-www-form-urlencoded',
			`PatientLastName=${secret}&patientlastname=Other`,
			400,
			"Field 'PatientLastName' repeated with different values",
		],
		[
			'NVP bad percent escape in a value',
			'application/x-www-form-urlencoded',
			`PatientLastName=${secret}%ZZ`,
			400,
			"bad percent escape in Field 'PatientLastName'",
		],
		[
			'NVP percent escape of invalid UTF-8',
			'application/x-www-form-urlencoded',
			'Amount=%FF',
			400,
			"bad percent escape in Field 'Amount'",
		],
		[
			'NVP bad percent escape in a name',
			'application/x-www-form-urlencoded',
			'Amo%unt=1',
			400,
			'bad percent escape in the name of Field 1',
		],
		[
			'NVP field without a name',
			'application/x-www-form-urlencoded',
			`=${secret}`,
			400,
			'Form body has a field with no name',
		],
		[
			'NVP with no fields',
			'application/x-www-form-urlencoded',
			'&&',
			400,
			'Form body has no fields',
		],
	])('%s', (_name, contentType, body, status, reason) => {
		const rejection = rejectionOfBody(contentType, body);
		expect(rejection.status).toBe(status);
		expect(rejection.reason).toContain(reason);
		expect(rejection.reason).not.toContain(secret);
		expect(rejection.reason).toMatch(/^[\x20-\x7e]+$/);
	});

	describe('XML declarations are refused, never expanded', () => {
		const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz><AdditionalInfo1>&lol9;</AdditionalInfo1></lolz>`;
		const externalEntity =
			'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x><AdditionalInfo1>&e;</AdditionalInfo1></x>';

		test.each([
			['a billion-laughs entity bomb', billionLaughs],
			['an external entity', externalEntity],
			['a lower-case doctype', '<!doctype x><x><a>1</a></x>'],
			['an entity declaration without a doctype', '<x><!ENTITY e "v"><a>&e;</a></x>'],
		])('%s', (_name, xml) => {
			expect(rejectionOfBody('application/xml', xml)).toEqual({
				status: 400,
				reason: 'XML DOCTYPE/entity declarations are not accepted',
			});
			// Sniffed or forced, the same parser and the same refusal.
			expect(rejectionOfBody(undefined, xml).status).toBe(400);
			expect(rejectionOfBody('application/json', xml, 'xml').status).toBe(400);
		});

		test('an undeclared entity reference stays inert text', () => {
			expect(
				parse('application/xml', '<x><AdditionalInfo1>&e;</AdditionalInfo1></x>').fields,
			).toEqual({
				AdditionalInfo1: '&e;',
			});
		});
	});

	describe('prototype names are refused in every format and pollute nothing', () => {
		afterEach(() => {
			expect({}.polluted).toBeUndefined();
			expect(Object.prototype).not.toHaveProperty('polluted');
		});

		test.each([
			['JSON __proto__', 'application/json', '{"Amount":"1.00","__proto__":{"polluted":"yes"}}', 2],
			['JSON __proto__ as text', 'application/json', '{"__proto__":"yes"}', 1],
			[
				'JSON constructor',
				'application/json',
				'{"constructor":{"prototype":{"polluted":"yes"}}}',
				1,
			],
			[
				'XML __proto__',
				'application/xml',
				'<R><Amount>1</Amount><__proto__>yes</__proto__></R>',
				2,
			],
			['XML constructor', 'application/xml', '<R><constructor>yes</constructor></R>', 1],
			['XML prototype', 'application/xml', '<R><prototype>yes</prototype></R>', 1],
			['NVP __proto__', 'application/x-www-form-urlencoded', 'Amount=1&__proto__=yes', 2],
			['NVP encoded __proto__', 'application/x-www-form-urlencoded', '%5F%5Fproto%5F%5F=yes', 1],
			['NVP constructor', 'application/x-www-form-urlencoded', 'constructor=yes', 1],
			['NVP prototype', 'application/x-www-form-urlencoded', 'prototype=yes', 1],
		])('%s', (_name, contentType, body, position) => {
			expect(rejectionOfBody(contentType, body)).toEqual({
				status: 400,
				reason: `Field ${position} has a name that is not allowed`,
			});
		});

		test('names of Object.prototype other than those are plain names', () => {
			const body = '<R><hasOwnProperty>x</hasOwnProperty><Amount>1</Amount><Amount>1</Amount></R>';
			expect(parse('application/xml', body).fields).toEqual({ hasOwnProperty: 'x', Amount: '1' });
		});

		test('bracketed names are plain names, not paths', () => {
			expect(parse('application/x-www-form-urlencoded', '__proto__[polluted]=yes').fields).toEqual({
				'__proto__[polluted]': 'yes',
			});
		});
	});
});

test('parseBody returns the detected format and the fields of the decoded text', () => {
	const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Amount":"1.00"}')]);
	expect(parseBody('text/plain', body, 'auto')).toMatchObject({
		format: 'json',
		fields: { Amount: '1.00' },
		names: ['Amount'],
		plainValues: true,
	});
});

describe('lookupField', () => {
	test.each([
		['the exact name', { Amount: '1', amount: '2' }, 'amount', '2'],
		['else the first name in another casing', { AMOUNT: '1', amount: '2' }, 'Amount', '1'],
		[
			'a known name sent in another casing',
			{ paymentplanid: 'P', Amount: '1' },
			'PaymentPlanID',
			'P',
		],
		['asked for in another casing', { PaymentPlanID: 'P' }, 'paymentplanid', 'P'],
		// U+212A (Kelvin sign) lower-cases to k: the name is CheckingAccountType in another casing.
		[
			'a name that lower-cases to a known one',
			{ 'Chec\u212AingAccountType': 'K' },
			'CheckingAccountType',
			'K',
		],
		['an unknown name in another casing', { note: 'n' }, 'Note', 'n'],
		['absent', { Amount: '1' }, 'PaymentPlanID', undefined],
		['null', { PaymentPlanID: null }, 'PaymentPlanID', null],
		['not a prototype name', { Amount: '1' }, 'constructor', undefined],
	])('%s', (_name, fields, name, value) => {
		expect(lookupField(fields, name)).toBe(value);
	});
});
