// Keeps throwing generated hostile bodies at the trigger's own handling (parse -> required fields
// -> routing -> item) of the built package in dist/, and fails on the first crash (anything thrown
// that is not a WebhookRejection), a reason that is not a short printable phrase, or a body of at
// most 512 KiB that takes longer than the bound.
//
//   npm run fuzz [-- --seconds 60 --seed 42 --max-ms 100]
//
// Bodies: the hostile shapes of tools/hostile-bodies.js at random sizes, sample messages in each
// format with random edits (cut, spliced with markup, entity and escape fragments, bytes flipped),
// and fast-check's arbitrary strings. A failure prints its seed and the body's first bytes; the
// same seed replays the same bodies.
const path = require('node:path');
const { parseArgs } = require('node:util');
const fc = require('fast-check');
const { hostileBody, hostileCases, CONTENT_TYPES } = require('../tools/hostile-bodies');
const { messages, serialise } = require('../tools/sample-messages');

const DIST = path.resolve(__dirname, '..', 'dist', 'nodes', 'InstaMedTrigger');
const load = (file) => require(path.join(DIST, file));
const { parseBody } = load('format/parseBody');
const { checkRequiredFields, parseRequiredFields, DEFAULT_REQUIRED_FIELDS } =
	load('format/requiredFields');
const { classify } = load('routing/classify');
const { BUILT_IN_RULES } = load('routing/rules');
const { buildItem } = load('item/buildItem');
const { WebhookRejection } = load('rejection');

const { values: args } = parseArgs({
	options: {
		seconds: { type: 'string', default: '60' },
		seed: { type: 'string' },
		'max-ms': { type: 'string', default: '100' },
	},
});
const SECONDS = Number(args.seconds);
const MAX_MS = Number(args['max-ms']);
const MAX_BYTES = 512 * 1024;
const REQUIRED = parseRequiredFields(DEFAULT_REQUIRED_FIELDS);
const OPTIONS = { includeRawBody: true, omitCardData: true, includeHeaders: true };
const FORMATS = Object.keys(CONTENT_TYPES);

/** The trigger's handling; returns what it answered, throws what it must never throw. */
function handle(contentType, buffer) {
	try {
		const message = parseBody(contentType, buffer, 'auto');
		checkRequiredFields(message, REQUIRED);
		const event = classify(message, BUILT_IN_RULES);
		buildItem({ message, event, body: buffer, req: { headers: {} }, options: OPTIONS });
		return 'accepted';
	} catch (error) {
		if (!(error instanceof WebhookRejection)) throw error;
		if (!/^[\x20-\x7e]{1,200}$/.test(error.reason)) {
			throw new Error(`reason is not a short printable phrase: ${JSON.stringify(error.reason)}`);
		}
		return error.status;
	}
}

const FRAGMENTS = [
	'<',
	'>',
	'</',
	'/>',
	'<![CDATA[',
	']]>',
	'<!--',
	'-->',
	'<?',
	'?>',
	'&',
	';',
	'&amp;',
	'&#0;',
	'&#xD800;',
	'&lol;',
	'<!DOCTYPE x>',
	'"',
	'\\',
	'\\u0000',
	'\\ud800',
	'{',
	'}',
	'[',
	']',
	':',
	',',
	'=',
	'%',
	'%00',
	'%ZZ',
	'+',
	'__proto__',
	'constructor',
	'Amount',
	'AMOUNT',
	' ',
	'\t',
	'\n',
	'\r',
	'\u0000',
	'\ufeff',
	'😀',
	'a'.repeat(300),
];

const sampleBody = fc
	.tuple(fc.constantFrom(...Object.values(messages)), fc.constantFrom(...FORMATS))
	.map(([fields, format]) => ({ format, text: serialise(format, fields).body }));

const edit = fc.oneof(
	fc.record({ kind: fc.constant('cut'), at: fc.nat() }),
	fc.record({
		kind: fc.constant('insert'),
		at: fc.nat(),
		text: fc.constantFrom(...FRAGMENTS),
		times: fc.integer({ min: 1, max: 5000 }),
	}),
	fc.record({ kind: fc.constant('flip'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
);

function applyEdits(text, edits) {
	let buffer = Buffer.from(text, 'utf8');
	for (const change of edits) {
		const at = change.at % (buffer.length + 1);
		if (change.kind === 'cut') buffer = buffer.subarray(0, at);
		else if (change.kind === 'flip' && at < buffer.length) buffer[at] = change.byte;
		else if (change.kind === 'insert') {
			const insert = Buffer.from(change.text.repeat(change.times), 'utf8');
			buffer = Buffer.concat([buffer.subarray(0, at), insert, buffer.subarray(at)]);
		}
	}
	return buffer.subarray(0, MAX_BYTES);
}

const body = fc.oneof(
	fc
		.tuple(fc.constantFrom(...hostileCases()), fc.integer({ min: 1, max: MAX_BYTES }))
		.map(([{ format, shape }, bytes]) => {
			const { contentType, buffer } = hostileBody(format, shape, bytes);
			return { contentType, buffer: buffer.subarray(0, MAX_BYTES) };
		}),
	fc
		.tuple(sampleBody, fc.array(edit, { minLength: 1, maxLength: 6 }), fc.boolean())
		.map(([{ format, text }, edits, sniff]) => ({
			contentType: sniff ? undefined : CONTENT_TYPES[format],
			buffer: applyEdits(text, edits),
		})),
	fc
		.tuple(
			fc.string({ unit: 'binary', maxLength: 2000 }),
			fc.constantFrom(undefined, ...Object.values(CONTENT_TYPES)),
		)
		.map(([text, contentType]) => ({ contentType, buffer: Buffer.from(text, 'utf8') })),
);

function run() {
	const seed = args.seed === undefined ? Date.now() % 2 ** 31 : Number(args.seed);
	const deadline = Date.now() + SECONDS * 1000;
	const answers = new Map();
	let count = 0;
	let slowestMs = 0;
	let slowest = '';
	const property = fc.property(body, ({ contentType, buffer }) => {
		const started = process.hrtime.bigint();
		let answer;
		try {
			answer = handle(contentType, buffer);
		} catch (error) {
			throw new Error(
				`crash: ${error.stack ?? error}\nbody starts: ${JSON.stringify(buffer.subarray(0, 120).toString('utf8'))} (${buffer.length} bytes, ${contentType})`,
			);
		}
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (ms > slowestMs) {
			slowestMs = ms;
			slowest = `${buffer.length} bytes ${contentType ?? '(sniffed)'} ${JSON.stringify(buffer.subarray(0, 40).toString('utf8'))}`;
		}
		if (ms > MAX_MS) {
			// Once more: a pause of the garbage collector or the machine is not the body's cost.
			const again = process.hrtime.bigint();
			handle(contentType, buffer);
			const msAgain = Number(process.hrtime.bigint() - again) / 1e6;
			if (msAgain > MAX_MS) {
				throw new Error(
					`slow: ${ms.toFixed(1)} ms then ${msAgain.toFixed(1)} ms for ${buffer.length} bytes (${contentType}), starts ${JSON.stringify(buffer.subarray(0, 120).toString('utf8'))}`,
				);
			}
		}
		count++;
		answers.set(answer, (answers.get(answer) ?? 0) + 1);
	});
	let round = 0;
	while (Date.now() < deadline) {
		const roundSeed = (seed + round++) % 2 ** 31;
		const result = fc.check(property, { seed: roundSeed, numRuns: 200, endOnFailure: true });
		if (result.failed) {
			console.error(
				`fuzz: failed with --seed ${roundSeed}\n${result.errorInstance?.message ?? result.error}`,
			);
			process.exit(1);
		}
	}
	console.log(
		`fuzz: ${count} bodies in ${SECONDS} s (seed ${seed}), slowest ${slowestMs.toFixed(1)} ms (${slowest}); answers ${JSON.stringify(Object.fromEntries(answers))}`,
	);
}

run();
