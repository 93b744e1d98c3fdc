// The content hash's quick text must be exactly what JSON.stringify of the sorted pairs gives, so
// a hash stored by an earlier version still matches the same content.
const { createHash } = require('node:crypto');
const { computeContentHash } = require('../../nodes/InstaMedTrigger/item/contentHash.ts');
const { messages, edgeMessages } = require('../../tools/sample-messages');

/** The definition, as first written: every field with a value, lower-cased, sorted, stringified. */
function reference(fields) {
	const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
	const entries = Object.entries(fields)
		.map(([name, value]) => [name.toLowerCase(), (value ?? '').trim()])
		.filter(([, value]) => value !== '')
		.sort(([nameA, valueA], [nameB, valueB]) =>
			nameA === nameB ? compare(valueA, valueB) : compare(nameA, nameB),
		);
	return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

const cases = {
	...messages,
	...edgeMessages,
	quotes: { A: 'say "hi"', B: 'back\\slash', C: 'tab\there' },
	caseRepeats: { Amount: '50.00', amount: '49.00', AMOUNT: ' 50.00 ' },
	unicodeSpace: { A: '\u00a0x\u00a0', B: 'é', C: '\u2028', D: 'x ', E: ' ' },
	surrogates: { A: '\ud83d\ude00', B: '\ud800' },
	empties: { A: null, B: '', C: '   ', D: 'v' },
	order: { b: '1', a: '2', B2: '3', a1: '4', 'a 1': '5' },
};

test.each(Object.keys(cases))('%s: the same hash as the definition', (name) => {
	expect(computeContentHash(cases[name])).toBe(reference(cases[name]));
});
