// The trigger's own handling of a body (parse -> required fields -> routing -> item) must take
// time linear in the body's size for every shape of hostile body (issue 20): per format and shape,
// the 512 KiB body may take at most 12 times the 64 KiB one, measured in the same run, and none
// more than 100 ms (the absolute bound; fast-xml-parser took 2.9 s at 64 KiB and minutes
// at 512 KiB for whitespace in a start tag).
//
// How it is measured, against noise on a shared machine: each case is warmed up first, then timed
// several times, the two sizes interleaved, and the fastest run of each size is taken. The median
// (as the issue suggests) moved by a factor of 3 between runs on a machine shared with other n8n
// runs (load 9 on 2 cores): other work only ever adds time, so the fastest run is the estimate
// of the handling's own cost that load disturbs least.
// Strings above V8's regular object size (about 128 KiB) live in its large-object space, where
// allocating and reading costs more per byte than for a 64 KiB string: a linear handling whose
// 64 KiB time is a few dozen microseconds can show a 512/64 ratio above 12 from that alone. So the
// ratio is taken against the 64 KiB time or MIN_BASE_MS, whichever is larger: below that the
// 512 KiB time is bounded by 12 x MIN_BASE_MS = 6 ms, tighter than the 100 ms, and a
// quadratic shape (64 KiB -> 512 KiB is 64 times the work) still fails.
const { hostileBody, hostileCases } = require('../../tools/hostile-bodies');
const { parseBody } = require('../../nodes/InstaMedTrigger/format/parseBody.ts');
const {
	checkRequiredFields,
	parseRequiredFields,
	DEFAULT_REQUIRED_FIELDS,
} = require('../../nodes/InstaMedTrigger/format/requiredFields.ts');
const { classify } = require('../../nodes/InstaMedTrigger/routing/classify.ts');
const { BUILT_IN_RULES } = require('../../nodes/InstaMedTrigger/routing/rules.ts');
const { buildItem } = require('../../nodes/InstaMedTrigger/item/buildItem.ts');
const { WebhookRejection } = require('../../nodes/InstaMedTrigger/rejection.ts');

const KIB = 1024;
const MAX_RATIO = 12;
const MAX_MS_AT_512 = 100;
const MIN_BASE_MS = 0.5;
const RUNS = 9;
const ATTEMPTS = 3;

const withinBounds = ({ small, large }) =>
	large < MAX_MS_AT_512 && large / Math.max(small, MIN_BASE_MS) <= MAX_RATIO;

const required = parseRequiredFields(DEFAULT_REQUIRED_FIELDS);
const options = { includeRawBody: true, omitCardData: true, includeHeaders: true };

/** What the trigger does with a body after reading it; a refusal is an answer too. */
function handle({ contentType, buffer }) {
	try {
		const message = parseBody(contentType, buffer, 'auto');
		try {
			checkRequiredFields(message, required);
		} catch (error) {
			if (!(error instanceof WebhookRejection)) throw error;
		}
		const event = classify(message, BUILT_IN_RULES);
		return buildItem({ message, event, body: buffer, req: { headers: {} }, options });
	} catch (error) {
		if (error instanceof WebhookRejection) return error;
		throw error;
	}
}

function timeOnce(body) {
	const start = process.hrtime.bigint();
	handle(body);
	return Number(process.hrtime.bigint() - start) / 1e6;
}

function measure(format, shape) {
	const small = hostileBody(format, shape, 64 * KIB);
	const large = hostileBody(format, shape, 512 * KIB);
	for (let i = 0; i < 3; i++) {
		handle(small);
		handle(large);
	}
	const smallMs = [];
	const largeMs = [];
	for (let i = 0; i < RUNS; i++) {
		smallMs.push(timeOnce(small));
		largeMs.push(timeOnce(large));
	}
	return { small: Math.min(...smallMs), large: Math.min(...largeMs), bytes: large.buffer.length };
}

const results = [];

afterAll(() => {
	// The figures, for the report and the README: ms at 64 KiB and 512 KiB.
	console.log(
		results
			.map(
				({ format, shape, small, large }) =>
					`${format.padEnd(4)} ${shape.padEnd(20)} ${small.toFixed(3).padStart(8)} ms ${large.toFixed(3).padStart(8)} ms  x${(large / small).toFixed(1)}`,
			)
			.join('\n'),
	);
});

test.each(hostileCases().map(({ format, shape }) => [format, shape]))(
	'%s %s: linear in size, under 100 ms at 512 KiB',
	(format, shape) => {
		// Other work on a shared machine only ever adds time, to either size: a case is measured
		// again (at most ATTEMPTS times) until one measurement meets both bounds. A handling that is
		// not linear misses them on every attempt (64 KiB -> 512 KiB is 64 times its work).
		let measured;
		for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
			measured = measure(format, shape);
			if (withinBounds(measured)) break;
		}
		const { small, large, bytes } = measured;
		results.push({ format, shape, small, large });
		expect(bytes).toBeGreaterThanOrEqual(500 * KIB);
		expect(large).toBeLessThan(MAX_MS_AT_512);
		expect(large / Math.max(small, MIN_BASE_MS)).toBeLessThanOrEqual(MAX_RATIO);
	},
);

test('the measure tells a quadratic handling from a linear one', () => {
	// A stand-in with the old validator's shape of cost: each character of a start tag rescans
	// the tag so far. It must fail the same bound the trigger passes.
	const quadratic = (text) => {
		let sum = 0;
		for (let i = 0; i < text.length; i += 4096) sum += text.slice(0, i).split(' ').length;
		return sum;
	};
	const time = (text) => {
		quadratic(text);
		const start = process.hrtime.bigint();
		quadratic(text);
		return Number(process.hrtime.bigint() - start) / 1e6;
	};
	const small = time(' '.repeat(64 * KIB));
	const large = time(' '.repeat(512 * KIB));
	expect(large / Math.max(small, MIN_BASE_MS)).toBeGreaterThan(MAX_RATIO);
});
