// The content hash's quick text must be exactly what JSON.stringify of the sorted pairs gives, so
// a hash stored by an earlier version still matches the same content.
const { createHash } = require('node:crypto');
const { computeContentHash } = require('../../nodes/InstaMedTrigger/item/contentHash.ts');
const { collectMessage, indexFields } = require('../../nodes/InstaMedTrigger/format/message.ts');

// Field maps built here may hold what a parsed message never does (names repeated in another
// case, lone surrogates): the hash is defined for any map.
const hashOf = (fields) => computeContentHash(indexFields('json', fields));
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
	// Object.keys lists integer-like names first; the empty name and a quote in a name are allowed.
	integerNames: { b: 'x', 10: 'ten', 2: 'two', '': 'empty name', 'a"b': 'quoted name' },
	// Names of Object.prototype, and names that lower-case to other lengths (Kelvin sign, dotted I).
	unusualNames: { constructor: 'c', toString: 't', '\u212Aelvin': 'k', İd: 'i' },
	unknownAndKnown: { ZZZ: '1', Amount: '2', aaa: '3', amountx: '4', PaymentTransactionID: 'T' },
	lowerCaseNames: Object.fromEntries(
		Object.entries(messages.paymentPlanCreated).map(([name, value]) => [name.toLowerCase(), value]),
	),
};

test.each(Object.keys(cases))('%s: the same hash as the definition', (name) => {
	expect(hashOf(cases[name])).toBe(reference(cases[name]));
});

// Users keep the hash as a unique key: these values, computed by the first version, must never change.
test.each([
	['paymentApproved', '7ef1a5ba79e4db54b1cffd40fb192ab7778cdb29063b410ce54fcdeeaed8f88e'],
	['paymentReturned', '6af83a28b8dcb93afa8474357e319358a701971901d7e2f87c278dfe7515c9d1'],
	['lowerCaseNames', 'ef3756e481185d18931be08271779f5d48db20dde5eb4045a911e608b480f79c'],
	['quotes', '7a4a4e544dbdf3842f134f1c524be4ba062088fe9bfab58ddaac013d0fd94661'],
	['caseRepeats', '9c34f98623998920da6d1aa9b62e61104bafc71a484e5c81e23e76458caf60a4'],
	['unicodeSpace', '4bfa82511cb8d98df4eb360b4c617c22e50134e78988023567627471c151ab9f'],
	['surrogates', '050f23d4964c0bffa964e8d2d776114f4c68ce8284cfa008ad66fb9f6d703214'],
	['empties', 'ec5a8704311e10efa476dc725574dfad73bb6b96f4dd50be4f0672360622b4cd'],
	['order', 'eed074fb52a7af754d8b7e7b00a0f8209e170e5e468edfb069d1cd6d24117678'],
	['integerNames', 'bbf1dcb4ba5fe4ed340e6e40e91bc2fe3fc73bb81935d429610192d84b1a1052'],
	['unusualNames', 'd7ff32cb0b9e393530f511b47fde9858cf9c79584c06f92ebd06ed023e391964'],
	['unknownAndKnown', '0055a5db9d20206cd934b810cf5bbb6bb7b3f84f1814946382a0beba6c3ae7ec'],
])('%s: the hash stored by earlier versions', (name, hash) => {
	expect(hashOf(cases[name])).toBe(hash);
});

// A message whose values need no escaping is hashed without looking for characters to escape;
// with escapes each value is looked at. Either way the hash is the definition's.
const { parseJson } = require('../../nodes/InstaMedTrigger/format/json.ts');

test.each([
	['plain', '{"A":"é 😀 : x","Amount":1.5e3,"C":true,"D":null,"b":" y "}', true],
	['escapes', '{"A":"say \\"hi\\"","B":"tab\\there","C":"\\u2028"}', false],
])('%s JSON: the same hash as the definition', (_, text, plain) => {
	const message = collectMessage('json', parseJson(text));
	expect(message.plainValues).toBe(plain);
	expect(computeContentHash(message)).toBe(reference(message.fields));
});
