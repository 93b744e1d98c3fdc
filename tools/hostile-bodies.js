// Pathological bodies of a chosen size, per format and shape: what the trigger's own handling must
// take in time linear in the size (the complexity test, the fuzzer, the e2e test and the
// reliability campaign send them). Each is built to the size asked, within a few bytes.

const CONTENT_TYPES = {
	json: 'application/json',
	xml: 'application/xml',
	nvp: 'application/x-www-form-urlencoded',
};

/** `count` copies of `unit`, as many as fit in `bytes` after `fixed` bytes. */
const fill = (unit, bytes, fixed = 0) =>
	unit.repeat(Math.max(1, Math.floor((bytes - fixed) / unit.length)));

/** Each shape: format -> size -> body text. A shape a format cannot have is left out. */
const SHAPES = {
	// Whitespace where the grammar allows it: inside a start tag, between JSON tokens, around pairs.
	whitespaceInTags: {
		json: (n) => `{"Amount":"1"${fill(' ', n, 24)},"x":"1"}`,
		xml: (n) => `<r><Amount>1</Amount><x${fill(' ', n, 33)}>1</x></r>`,
		nvp: (n) => `Amount=1&x=1${fill(' ', n, 12)}`,
	},
	manyAttributes: {
		xml: (n) =>
			`<r><Amount>1</Amount><x${fill(' a____=""', n, 32).replace(/a____/g, counter('a', ''))}>1</x></r>`,
	},
	duplicateAttributes: {
		xml: (n) => `<r><Amount>1</Amount><x${fill(' a="1"', n, 32)}>1</x></r>`,
	},
	deepNesting: {
		json: (n) => `{"Amount":"1","x":${fill('[', n / 2, 16)}${fill(']', n / 2, 16)}}`,
		xml: (n) =>
			`<r><Amount>1</Amount>${fill('<a>', (n * 3) / 7, 24)}${fill('</a>', (n * 4) / 7, 24)}</r>`,
		nvp: (n) => `Amount=1&x${fill('[a]', n, 12)}=1`,
	},
	longNames: {
		json: (n) => `{"Amount":"1","${fill('A', n, 24)}":"1"}`,
		xml: (n) => `<r><Amount>1</Amount><${fill('A', n / 2, 32)}>1</${fill('A', n / 2, 32)}></r>`,
		nvp: (n) => `Amount=1&${fill('A', n, 12)}=1`,
	},
	manyFields: {
		json: (n) => `{${fill('"F____":"1",', n, 16)}"Amount":"1"}`.replace(/F____/g, counter('F', '')),
		xml: (n) =>
			`<r>${fill('<F____>1</F____>', n, 24)}<Amount>1</Amount></r>`.replace(
				/<F____>1<\/F____>/g,
				counterXml(),
			),
		nvp: (n) => `${fill('F____=1&', n, 12)}Amount=1`.replace(/F____/g, counter('F', '')),
	},
	manyShortValues: {
		json: (n) => `{"Amount":"1",${fill('"A":"1",', n, 24)}"B":"1"}`,
		xml: (n) => `<r><Amount>1</Amount>${fill('<A>1</A>', n, 32)}</r>`,
		nvp: (n) => `Amount=1&${fill('A=1&', n, 12)}`,
	},
	manyEscapes: {
		json: (n) => `{"Amount":"1","x":"${fill('\\n', n, 24)}"}`,
		xml: (n) => `<r><Amount>1</Amount><x>${fill('&amp;', n, 32)}</x></r>`,
		nvp: (n) => `Amount=1&x=${fill('%41', n, 12)}`,
	},
	entityLikeRuns: {
		json: (n) => `{"Amount":"1","x":"${fill('\\u00', n, 24)}"}`,
		xml: (n) => `<r><Amount>1</Amount><x>&${fill('a', n, 32)}</x></r>`,
		nvp: (n) => `Amount=1&x=${fill('%', n, 12)}`,
	},
	longValue: {
		json: (n) => `{"Amount":"1","x":"${fill('v', n, 24)}"}`,
		xml: (n) => `<r><Amount>1</Amount><x>${fill('v', n, 32)}</x></r>`,
		nvp: (n) => `Amount=1&x=${fill('v', n, 12)}`,
	},
	cdataRuns: {
		xml: (n) => `<r><Amount>1</Amount><x>${fill('<![CDATA[]]>', n, 32)}</x></r>`,
	},
	commentRuns: {
		xml: (n) => `<r><Amount>1</Amount><x>${fill('<!---->', n, 32)}</x></r>`,
	},
};

/** Distinct names of one width (F0000, F0001, ...) in place of a placeholder, so repeats do not collapse. */
function counter(prefix, suffix) {
	let i = 0;
	return () => `${prefix}${(i++).toString(36).padStart(4, '0')}${suffix}`;
}

function counterXml() {
	const next = counter('F', '');
	return () => {
		const name = next();
		return `<${name}>1</${name}>`;
	};
}

/** Every [format, shape] pair there is a body for. */
function hostileCases() {
	return Object.entries(SHAPES).flatMap(([shape, byFormat]) =>
		Object.keys(byFormat).map((format) => ({ format, shape })),
	);
}

/** One body of at most `bytes` bytes (a size limit is exact): { contentType, text, buffer }. */
function hostileBody(format, shape, bytes) {
	let budget = bytes;
	let text = SHAPES[shape][format](budget);
	// The shapes' fixed parts are counted roughly; give back what went over (a size below a
	// shape's fixed part gives its smallest body).
	while (Buffer.byteLength(text) > bytes && budget > 0) {
		budget -= Buffer.byteLength(text) - bytes;
		text = SHAPES[shape][format](budget);
	}
	return { contentType: CONTENT_TYPES[format], text, buffer: Buffer.from(text, 'utf8') };
}

module.exports = { CONTENT_TYPES, SHAPES, hostileBody, hostileCases };
