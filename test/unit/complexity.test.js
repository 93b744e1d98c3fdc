// The trigger's own handling of a body (parse -> required fields -> routing -> item) must take
// time linear in the body's size for every shape of hostile body (issue 20): per format and shape,
// 8 times the bytes may take at most 12 times the time, measured in the same run (between 256 KiB
// and 2 MiB, below), and the 512 KiB body no more than 100 ms (the absolute bound;
// fast-xml-parser took 2.9 s at 64 KiB and minutes at 512 KiB for whitespace in a start tag).
//
// How it is measured, against noise on a shared machine: each case is warmed up first, then timed
// several times, the two sizes interleaved, and the fastest run of each size is taken. The median
// (as the issue suggests) moved by a factor of 3 between runs on a machine shared with other n8n
// runs (load 9 on 2 cores): other work only ever adds time, so the fastest run is the estimate
// of the handling's own cost that load disturbs least.
// V8 keeps strings above its regular object size (128 KiB) in its large-object space, where
// allocating and reading cost more per byte: on an AMD EPYC CI machine the same linear handling took
// 2.7 ns/B at 64 KiB and 13-25 ns/B from 128 KiB to 2 MiB (nvp longNames; decodeURIComponent alone
// 2.0 against 6.4 ns/B), so 64 KiB -> 512 KiB showed up to 72 times the time for 8 times the bytes,
// as much as a quadratic handling's 64. The ratio is therefore judged between 256 KiB and 2 MiB,
// both above that step, measured in the same run; 64 and 512 KiB are measured beside them, printed,
// and 512 KiB (the trigger's body limit) is held to the 100 ms.
// Measured in a plain Node process on the built package, as n8n runs it (complexity-measure.js):
// inside jest's module sandbox saxes alone took 144 ms for 512 KiB of CDATA runs, against 18 ms
// in plain Node, so a bound checked here measured jest rather than the handling.
const path = require('node:path');
const { execFileSync } = require('node:child_process');
require('../../scripts/bootstrap').ensureReady();
const { hostileCases } = require('../../tools/hostile-bodies');

const KIB = 1024;
const MAX_RATIO = 12;
const MAX_MS_AT_512 = 100;
const ATTEMPTS = 3;
const MEASURE = path.join(__dirname, 'complexity-measure.js');

const withinBounds = ({ large, sameRegime }) =>
	large < MAX_MS_AT_512 && sameRegime.large / sameRegime.small <= MAX_RATIO;

function measure(format, shape) {
	return JSON.parse(execFileSync(process.execPath, [MEASURE, format, shape], { encoding: 'utf8' }));
}

const results = [];

afterAll(() => {
	// The figures, for the report: ms at 64 KiB and 512 KiB, then at 256 KiB and 2 MiB (judged).
	const pair = (small, large) =>
		`${small.toFixed(3).padStart(8)} ms ${large.toFixed(3).padStart(8)} ms  x${(large / small).toFixed(1).padEnd(6)}`;
	console.log(
		results
			.map(
				({ format, shape, small, large, sameRegime }) =>
					`${format.padEnd(4)} ${shape.padEnd(20)} ${pair(small, large)} ${pair(sameRegime.small, sameRegime.large)}`,
			)
			.join('\n'),
	);
});

test.each(hostileCases().map(({ format, shape }) => [format, shape]))(
	'%s %s: linear in size, under 100 ms at 512 KiB',
	(format, shape) => {
		// Other work on a shared machine only ever adds time, to either size: a case is measured
		// again (at most ATTEMPTS times) until one measurement meets both bounds. A handling that is
		// not linear misses them on every attempt (8 times the bytes is 64 times its work).
		let measured;
		for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
			measured = measure(format, shape);
			if (withinBounds(measured)) break;
		}
		const { small, large, bytes, sameRegime } = measured;
		results.push({ format, shape, small, large, sameRegime });
		expect(bytes).toBeGreaterThanOrEqual(500 * KIB);
		expect(large).toBeLessThan(MAX_MS_AT_512);
		expect(sameRegime.large / sameRegime.small).toBeLessThanOrEqual(MAX_RATIO);
	},
);

test('the measure tells a quadratic handling from a linear one', () => {
	// A stand-in with the old validator's shape of cost: each character of a start tag rescans
	// the tag so far. It must fail the same bound the trigger passes.
	const quadratic = (text) => {
		let sum = 0;
		for (let i = 0; i < text.length; i += 4096) sum += text.slice(0, i).indexOf('x');
		return sum;
	};
	const time = (text) => {
		quadratic(text);
		const start = process.hrtime.bigint();
		quadratic(text);
		return Number(process.hrtime.bigint() - start) / 1e6;
	};
	const small = time(' '.repeat(256 * KIB));
	const large = time(' '.repeat(2048 * KIB));
	expect(large / small).toBeGreaterThan(MAX_RATIO);
});
