// The hostile and broken requests the campaign sends to a running n8n: every one must be answered
// 4xx within a second without an execution, and no answer may carry a header an attacker put in.
// Bodies are built from the sample messages (tools/sample-messages.js) so each case is a real
// notification with one thing wrong; each carries its own message id, so a case that got stored
// would show up in the database.
const zlib = require('node:zlib');
const { distinctMessages } = require('../../tools/instamed-delivery');
const { serialise, toNvp } = require('../../tools/sample-messages');
const { hostileBody, hostileCases } = require('../../tools/hostile-bodies');

const KB = 1024;
const MB = 1024 * KB;
const CONTENT_TYPES = {
	json: 'application/json',
	xml: 'application/xml',
	nvp: 'application/x-www-form-urlencoded',
};
const INJECTED = 'Set-Cookie: injected=1';

/** A case: category, name, Content-Type (or none), extra raw header lines, body bytes. */
function badInput(category, name, body, { contentType, headerLines = [], withAuth = true } = {}) {
	return {
		category,
		name,
		contentType,
		headerLines,
		withAuth,
		body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
	};
}

function bodyOf(format, fields) {
	return serialise(format, fields).body;
}

function truncated(messages) {
	const cases = [];
	for (const message of messages) {
		for (const format of ['json', 'xml']) {
			const body = bodyOf(format, message.fields);
			for (const fraction of [0.25, 0.5, 0.9]) {
				cases.push(
					badInput(
						'truncated',
						`${format} ${message.trigger} at ${fraction}`,
						body.slice(0, Math.floor(body.length * fraction)),
						{ contentType: CONTENT_TYPES[format] },
					),
				);
			}
		}
		// A form body cut anywhere else is still a valid form: cut inside a percent escape.
		const nvp = bodyOf('nvp', message.fields);
		const escapes = [...nvp.matchAll(/%[0-9A-F]{2}/g)].slice(0, 3);
		for (const escape of escapes) {
			cases.push(
				badInput(
					'truncated',
					`nvp ${message.trigger} inside escape at ${escape.index}`,
					nvp.slice(0, escape.index + 2),
					{ contentType: CONTENT_TYPES.nvp },
				),
			);
		}
	}
	return cases;
}

function wrongContentType([message]) {
	const types = [
		'text/csv',
		'text/html',
		'image/png',
		'application/pdf',
		'application/zip',
		'application/msgpack',
		'application/yaml',
		'text/javascript',
		'audio/mpeg',
		'multipart/form-data; boundary=x',
	];
	return types.flatMap((type) =>
		['json', 'xml', 'nvp'].map((format) =>
			badInput('wrong content type', `${type} with ${format}`, bodyOf(format, message.fields), {
				contentType: type,
			}),
		),
	);
}

function withFiller(fields, name, size) {
	return { ...fields, [name]: 'x'.repeat(size) };
}

function oversized([message]) {
	const cases = [];
	for (const format of ['json', 'xml', 'nvp']) {
		for (const size of [513 * KB, 1 * MB, 4 * MB]) {
			cases.push(
				badInput(
					'oversized',
					`${format} ${size / KB} KB`,
					bodyOf(format, withFiller(message.fields, 'Filler', size)),
					{ contentType: CONTENT_TYPES[format] },
				),
			);
		}
	}
	// Over n8n's own 16 MB payload limit as well.
	cases.push(
		badInput(
			'oversized',
			'json 17 MB',
			bodyOf('json', withFiller(message.fields, 'Filler', 17 * MB)),
			{ contentType: CONTENT_TYPES.json },
		),
	);
	// Small on the wire, huge once n8n inflates it.
	for (const [encoding, compress] of [
		['gzip', zlib.gzipSync],
		['deflate', zlib.deflateSync],
	]) {
		for (const format of ['json', 'nvp']) {
			const inflated = Buffer.from(bodyOf(format, withFiller(message.fields, 'Filler', 64 * MB)));
			cases.push(
				badInput('oversized', `${encoding} bomb ${format} 64 MB inflated`, compress(inflated), {
					contentType: CONTENT_TYPES[format],
					headerLines: [`Content-Encoding: ${encoding}`],
				}),
			);
		}
	}
	return cases;
}

// Bodies whose shape made a parser superlinear (whitespace in a start tag, attributes, nesting,
// long names, entity-like runs), at the trigger's 512 KB limit: each must be answered 4xx in time.
function pathological() {
	return hostileCases().map(({ format, shape }) => {
		const { contentType, buffer } = hostileBody(format, shape, 512 * KB);
		return badInput('pathological', `${format} ${shape} 512 KB`, buffer, { contentType });
	});
}

function hugeFieldValues([message]) {
	return ['PaymentTransactionID', 'Amount', 'PatientFirstName'].flatMap((name) =>
		['json', 'xml', 'nvp'].map((format) =>
			badInput(
				'huge field value',
				`${format} ${name} 600 KB`,
				bodyOf(format, withFiller(message.fields, name, 600 * KB)),
				{ contentType: CONTENT_TYPES[format] },
			),
		),
	);
}

/** The notification's fields as XML children (to place a DOCTYPE in front of a real message). */
function xmlRootWith(message, extra) {
	return bodyOf('xml', message.fields)
		.replace('</PaymentTransactionNotification>', `${extra}</PaymentTransactionNotification>`)
		.replace(/^<\?xml[^>]*\?>\n/, '');
}

function entityBombs([message]) {
	const laughs = [
		'<!ENTITY lol "lol">',
		...Array.from(
			{ length: 9 },
			(_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`,
		),
	].join('');
	const shapes = {
		'billion laughs': `<?xml version="1.0"?><!DOCTYPE PaymentTransactionNotification [${laughs}]>${xmlRootWith(message, '<PatientFirstName2>&lol9;</PatientFirstName2>')}`,
		'quadratic blowup': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "${'a'.repeat(50 * KB)}">]>${xmlRootWith(message, `<Filler>${'&a;'.repeat(5000)}</Filler>`)}`,
		'lower-case doctype': `<!doctype r [${laughs}]><r><A>&lol9;</A></r>`,
		'parameter entities': `<!DOCTYPE r [<!ENTITY % a "<!ENTITY b 'bb'>"> %a; ${laughs}]><r><A>&b;&lol9;</A></r>`,
		'doctype after a comment': `<?xml version="1.0"?>\n<!-- hi -->\n<!DOCTYPE r [${laughs}]>\n<r><A>&lol9;</A></r>`,
	};
	const types = ['application/xml', 'text/xml', 'application/soap+xml', 'text/plain'];
	return Object.entries(shapes).flatMap(([shape, body]) =>
		types.map((type) =>
			badInput('entity bomb', `${shape} as ${type}`, body, { contentType: type }),
		),
	);
}

function externalEntities([message]) {
	const shapes = {
		'file entity': '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
		'environ entity': '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///proc/self/environ">]>',
		'http entity': '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>',
		'public entity': '<!DOCTYPE r [<!ENTITY xxe PUBLIC "-//X//Y" "http://127.0.0.1:9/x">]>',
		'external parameter entity':
			'<!DOCTYPE r [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>',
		'external DTD':
			'<!DOCTYPE PaymentTransactionNotification SYSTEM "http://127.0.0.1:9/evil.dtd">',
	};
	return Object.entries(shapes).flatMap(([shape, doctype]) =>
		['application/xml', 'text/xml'].map((type) =>
			badInput(
				'external entity',
				`${shape} as ${type}`,
				`<?xml version="1.0"?>${doctype}${xmlRootWith(message, '<PatientLastName2>&xxe;</PatientLastName2>')}`,
				{ contentType: type },
			),
		),
	);
}

function prototypeKeys([message]) {
	const cases = [];
	for (const name of ['__proto__', 'constructor', 'prototype']) {
		const json = bodyOf('json', message.fields);
		const forms = {
			'json string value, first': `{"${name}":"x",${json.slice(1)}`,
			'json object value, last': `${json.slice(0, -1)},"${name}":{"polluted":"yes"}}`,
			'json inside a field': `${json.slice(0, -1)},"PatientNote":{"${name}":{"polluted":"yes"}}}`,
			nvp: `${toNvp(message.fields)}&${name}=x`,
			'nvp percent-encoded name': `${encodeURIComponent(name).replace(/_/g, '%5F')}=x&${toNvp(message.fields)}`,
			xml: xmlRootWith(message, `<${name}>x</${name}>`),
		};
		for (const [form, body] of Object.entries(forms)) {
			const format = form.startsWith('json') ? 'json' : form.startsWith('nvp') ? 'nvp' : 'xml';
			cases.push(
				badInput('prototype pollution', `${name} ${form}`, body, {
					contentType: CONTENT_TYPES[format],
				}),
			);
		}
	}
	return cases;
}

function repeatedKeys(messages) {
	const cases = [];
	const names = [
		'Amount',
		'PaymentTransactionID',
		'CurrentTransactionStatusCode',
		'TransactionAction',
	];
	for (const [index, message] of messages.entries()) {
		const name = names[index % names.length];
		const other = `${message.fields[name]}9`;
		cases.push(
			badInput(
				'repeated keys',
				`nvp ${name} (${message.trigger})`,
				`${toNvp(message.fields)}&${name}=${encodeURIComponent(other)}`,
				{ contentType: CONTENT_TYPES.nvp },
			),
		);
		cases.push(
			badInput(
				'repeated keys',
				`nvp ${name} other case (${message.trigger})`,
				`${toNvp(message.fields)}&${name.toLowerCase()}=${encodeURIComponent(other)}`,
				{ contentType: CONTENT_TYPES.nvp },
			),
		);
		cases.push(
			badInput(
				'repeated keys',
				`xml ${name} (${message.trigger})`,
				xmlRootWith(message, `<${name}>${other}</${name}>`),
				{ contentType: CONTENT_TYPES.xml },
			),
		);
		cases.push(
			badInput(
				'repeated keys',
				`json ${name} (${message.trigger})`,
				`${bodyOf('json', message.fields).slice(0, -1)},"${name}":"${other}"}`,
				{ contentType: CONTENT_TYPES.json },
			),
		);
	}
	return cases;
}

function invalidUtf8([message]) {
	const sequences = {
		overlong: [0xc0, 0xaf],
		'lone continuation': [0x80],
		'truncated sequence': [0xe2, 0x82],
		'encoded surrogate': [0xed, 0xa0, 0x80],
		'five-byte form': [0xf8, 0x88, 0x80, 0x80, 0x80],
		'UTF-16 byte order mark': [0xff, 0xfe],
		'bad second byte': [0xc3, 0x28],
		'NUL byte': [0x00],
	};
	const cases = [];
	for (const [label, bytes] of Object.entries(sequences)) {
		for (const format of ['json', 'xml', 'nvp']) {
			const [before, after] = bodyOf(format, {
				...message.fields,
				PatientFirstName: 'SPLITHERE',
			}).split('SPLITHERE');
			cases.push(
				badInput(
					'invalid UTF-8',
					`${label} in ${format}`,
					Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]),
					{ contentType: CONTENT_TYPES[format] },
				),
			);
		}
	}
	return cases;
}

function headerInjection([message]) {
	const good = bodyOf('json', message.fields);
	// A body refused on its own, so that a header the server happens to accept still gets a 4xx.
	const refused = good.slice(0, 40);
	const cases = [
		['Content-Type split by CRLF', good, { contentType: `text/evil\r\n${INJECTED}` }],
		[
			'Content-Type with encoded CRLF',
			good,
			{ contentType: `text/evil%0d%0a${INJECTED.replace(' ', '%20')}` },
		],
		[
			'Content-Type with UTF-8 line separators',
			good,
			{ contentType: `text/evil\u2028\u0085${INJECTED}` },
		],
		['Content-Type with a bare CR', good, { contentType: `text/evil\r${INJECTED}` }],
		['Content-Type with NUL', good, { contentType: 'application/json\u0000text/evil' }],
		[
			'Authorization split by CRLF',
			good,
			{
				contentType: CONTENT_TYPES.json,
				withAuth: false,
				headerLines: [`Authorization: Basic Og==\r\n${INJECTED}`],
			},
		],
		[
			'Authorization with a bare LF',
			good,
			{
				contentType: CONTENT_TYPES.json,
				withAuth: false,
				headerLines: [`Authorization: Basic Og==\n${INJECTED}`],
			},
		],
		[
			'header value with a bare CR',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: [`X-Note: a\r${INJECTED}`] },
		],
		[
			'header value with a bare LF',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: [`X-Note: a\n${INJECTED}`] },
		],
		[
			'header value with NUL',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: ['X-Note: a\u0000b'] },
		],
		[
			'obs-fold continuation line',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: ['X-Note: a', ` ${INJECTED}`] },
		],
		[
			'X-Forwarded-For with CRLF',
			refused,
			{
				contentType: CONTENT_TYPES.json,
				headerLines: [`X-Forwarded-For: 52.0.168.18\r\n${INJECTED}`],
			},
		],
		[
			'header name with a space',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: ['X Note: a'] },
		],
		[
			'header name with a tab',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: ['X\tNote: a'] },
		],
		[
			'header line without a name',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: [': a'] },
		],
		[
			'header name with a non-ASCII byte',
			refused,
			{ contentType: CONTENT_TYPES.json, headerLines: ['X-N\u00e9te: a'] },
		],
		[
			'header value of 20 KB',
			good,
			{ contentType: CONTENT_TYPES.json, headerLines: [`X-Note: ${'a'.repeat(20 * KB)}`] },
		],
		[
			'100 KB of headers',
			good,
			{
				contentType: CONTENT_TYPES.json,
				headerLines: Array.from({ length: 1000 }, (_, i) => `X-N${i}: ${'a'.repeat(90)}`),
			},
		],
	];
	// Field names end up in reason phrases: they must never split the answer.
	const named = (name) => [
		[
			`json nested field named ${JSON.stringify(name)}`,
			`${good.slice(0, -1)},${JSON.stringify(name)}:{"a":"1"}}`,
			{ contentType: CONTENT_TYPES.json },
		],
		[
			`nvp repeated field named ${JSON.stringify(name)}`,
			`${toNvp(message.fields)}&${encodeURIComponent(name)}=1&${encodeURIComponent(name)}=2`,
			{ contentType: CONTENT_TYPES.nvp },
		],
	];
	for (const name of [
		`X\r\n${INJECTED}`,
		`X\n${INJECTED}`,
		`X\u2028${INJECTED}`,
		`X\u0085${INJECTED}`,
		`${'N'.repeat(10 * KB)}\r\n${INJECTED}`,
		`\r\n\r\n<html>`,
	]) {
		cases.push(...named(name));
	}
	cases.push([
		'xml element name with a character reference CR',
		`<r><X&#13;&#10;Set-Cookie>1</X&#13;&#10;Set-Cookie></r>`,
		{ contentType: CONTENT_TYPES.xml },
	]);
	return cases.map(([name, body, options]) => badInput('header injection', name, body, options));
}

function malformed([message]) {
	const xml = bodyOf('xml', message.fields);
	const cases = [
		['json array', JSON.stringify([message.fields]), 'application/json'],
		['json string', '"PaymentTransactionID"', 'application/json'],
		['json number', '42', 'application/json'],
		['json null', 'null', 'application/json'],
		['json empty object', '{}', 'application/json'],
		['json nested object', JSON.stringify({ Notification: message.fields }), 'application/json'],
		['json trailing garbage', `${bodyOf('json', message.fields)}garbage`, 'application/json'],
		[
			'json two objects',
			`${bodyOf('json', message.fields)}${bodyOf('json', message.fields)}`,
			'application/json',
		],
		['xml two roots', `${xml}<Second/>`, 'application/xml'],
		[
			'xml text in the root',
			xml.replace('<PaymentTransactionID>', 'stray text<PaymentTransactionID>'),
			'application/xml',
		],
		['xml root without fields', '<PaymentTransactionNotification/>', 'application/xml'],
		[
			'xml nested fields',
			xml.replace('<Amount>', '<Amount><Value>1</Value></Amount><Amount2>'),
			'application/xml',
		],
		['xml mismatched tag', xml.replace('</Amount>', '</Amnt>'), 'application/xml'],
		['empty body json', '', 'application/json'],
		['empty body form', '', 'application/x-www-form-urlencoded'],
		['whitespace body', ' \r\n\t ', 'text/plain'],
		['form without fields', '&&&', 'application/x-www-form-urlencoded'],
		[
			'form field without a name',
			`=x&${toNvp(message.fields)}`,
			'application/x-www-form-urlencoded',
		],
		['form bad escape', `${toNvp(message.fields)}&Note=%ZZ`, 'application/x-www-form-urlencoded'],
	];
	const result = cases.map(([name, body, type]) =>
		badInput('malformed', name, body, { contentType: type }),
	);
	// Binary noise under each Content-Type (a fixed generator, so runs compare).
	let seed = 12345;
	const noise = (length) =>
		Buffer.from(
			Array.from({ length }, () => {
				seed = (seed * 1103515245 + 12345) % 2 ** 31;
				return 0x80 + (seed % 0x80);
			}),
		);
	for (const type of [
		'application/json',
		'application/xml',
		'application/x-www-form-urlencoded',
		'text/plain',
		undefined,
	]) {
		for (const length of [16, 4 * KB]) {
			result.push(
				badInput('malformed', `binary noise ${length} B as ${type ?? 'no type'}`, noise(length), {
					contentType: type,
				}),
			);
		}
	}
	return result;
}

/** Every bad input, in a fixed order; message ids start with `runId`. */
function badInputs(runId) {
	const messages = distinctMessages({ count: 10, formats: ['json'], runId });
	return [
		...truncated(messages),
		...wrongContentType(messages),
		...oversized(messages),
		...hugeFieldValues(messages),
		...pathological(),
		...entityBombs(messages),
		...externalEntities(messages),
		...prototypeKeys(messages),
		...repeatedKeys(messages),
		...invalidUtf8(messages),
		...headerInjection(messages),
		...malformed(messages),
	];
}

/** The raw head lines of a case (its Content-Type and, unless it tests auth, valid Basic). */
function headerLinesOf(testCase, authorization) {
	return [
		...(testCase.contentType === undefined ? [] : [`Content-Type: ${testCase.contentType}`]),
		...(testCase.withAuth ? [`Authorization: ${authorization}`] : []),
		...testCase.headerLines,
	];
}

/** What must hold for every answer: 4xx, fast, and no header or reason carrying injected text. */
function judge(answer, limitMs) {
	const problems = [];
	if (answer.status === undefined) problems.push(`no answer (${answer.error ?? answer.malformed})`);
	else if (answer.status < 400 || answer.status > 499) problems.push(`status ${answer.status}`);
	if (answer.ms > limitMs) problems.push(`answered after ${Math.round(answer.ms)} ms`);
	const injected = (answer.headers ?? []).filter(
		(header) => header.name === 'set-cookie' || /injected/i.test(`${header.name}:${header.value}`),
	);
	if (injected.length > 0)
		problems.push(`injected header in answer: ${injected.map((h) => h.name).join(', ')}`);
	if (/[^\x20-\x7e]/.test(answer.reason ?? ''))
		problems.push('reason phrase with control characters');
	return problems;
}

module.exports = { badInputs, headerLinesOf, judge };
