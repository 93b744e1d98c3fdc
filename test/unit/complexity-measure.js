// Times the trigger's handling of one hostile case at two pairs of sizes, in a plain Node process on
// the built package, as n8n runs it (complexity.test.js runs this; jest's module sandbox made
// saxes about 8 times slower than it is). Prints { small, large, bytes } for 64 and 512 KiB and
// { small, large } for 256 KiB and 2 MiB as `sameRegime`: the fastest of RUNS runs per size, in ms.
//   node test/unit/complexity-measure.js <format> <shape>
const { hostileBody } = require('../../tools/hostile-bodies');
const { parseBody } = require('../../dist/nodes/InstaMedTrigger/format/parseBody');
const {
	checkRequiredFields,
	parseRequiredFields,
	DEFAULT_REQUIRED_FIELDS,
} = require('../../dist/nodes/InstaMedTrigger/format/requiredFields');
const { classify } = require('../../dist/nodes/InstaMedTrigger/routing/classify');
const { BUILT_IN_RULES } = require('../../dist/nodes/InstaMedTrigger/routing/rules');
const { buildItem } = require('../../dist/nodes/InstaMedTrigger/item/buildItem');
const { WebhookRejection } = require('../../dist/nodes/InstaMedTrigger/rejection');

const KIB = 1024;
const RUNS = 9;
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

/** The fastest of RUNS timings of each size, the sizes interleaved after a warm-up. */
function fastest(format, shape, smallBytes, largeBytes) {
	const small = hostileBody(format, shape, smallBytes);
	const large = hostileBody(format, shape, largeBytes);
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

function measure(format, shape) {
	const { small, large, bytes } = fastest(format, shape, 64 * KIB, 512 * KIB);
	const sameRegime = fastest(format, shape, 256 * KIB, 2048 * KIB);
	return { small, large, bytes, sameRegime: { small: sameRegime.small, large: sameRegime.large } };
}

const [format, shape] = process.argv.slice(2);
process.stdout.write(JSON.stringify(measure(format, shape)));
