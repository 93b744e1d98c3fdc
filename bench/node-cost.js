// The trigger's own work per message, without n8n: detect + decode + parse + required fields +
// classify + build the item, per format, against the bare parser a hand-written workflow would
// use (JSON.parse, saxes with no handlers, URLSearchParams). Runs on the compiled package in dist/.
//
//   node bench/node-cost.js [--quick] [--json]
const path = require('node:path');
const { parseArgs } = require('node:util');

const DIST = path.resolve(__dirname, '..', 'dist', 'nodes', 'InstaMedTrigger');
const load = (file) => require(path.join(DIST, file));

const { parseBody } = load('format/parseBody');
const { checkRequiredFields, parseRequiredFields, DEFAULT_REQUIRED_FIELDS } =
	load('format/requiredFields');
const { classify } = load('routing/classify');
const { BUILT_IN_RULES } = load('routing/rules');
const { buildItem } = load('item/buildItem');
const { computeContentHash } = load('item/contentHash');
const { computeEventKey } = load('item/eventKey');
const { SaxesParser } = require(
	path.resolve(__dirname, '..', 'dist', 'node_modules', 'saxes', 'saxes.js'),
);
const { messages, serialise } = require('../tools/sample-messages');

const REQUIRED = parseRequiredFields(DEFAULT_REQUIRED_FIELDS);
const ITEM_OPTIONS = { includeRawBody: false, omitCardData: false };
const REQ = {
	ip: '34.236.206.189',
	headers: {
		'content-type': 'application/json',
		'content-length': '2000',
		authorization: 'Basic x',
	},
};

/** Distinct bodies per format: every message of the fixtures, each with its own transaction id. */
function bodies(format, count) {
	const all = Object.values(messages);
	const list = [];
	for (let i = 0; i < count; i++) {
		const fields = {
			...all[i % all.length],
			PaymentTransactionID: `BENCH${String(i).padStart(8, '0')}`,
		};
		const { body, contentType } = serialise(format, fields);
		list.push({ buffer: Buffer.from(body), text: body, contentType });
	}
	return list;
}

const BARE = {
	json: (b) => JSON.parse(b.text),
	xml: (b) => new SaxesParser().write(b.text).close(),
	nvp: (b) => Object.fromEntries(new URLSearchParams(b.text)),
};

function nodeParse(b, format) {
	return parseBody(b.contentType, b.buffer, 'auto');
}

function parseAndRoute(b) {
	const message = parseBody(b.contentType, b.buffer, 'auto');
	checkRequiredFields(message, REQUIRED);
	return { message, event: classify(message, BUILT_IN_RULES) };
}

function nodePipeline(b) {
	const { message, event } = parseAndRoute(b);
	return buildItem({ message, event, body: b.buffer, req: REQ, options: ITEM_OPTIONS });
}

/** As far as the item's two hashes, which buildItem computes first: what they cost is the difference. */
function throughHashes(b) {
	const { message } = parseAndRoute(b);
	return computeEventKey(message, computeContentHash(message));
}

/** The best round's mean µs per call. */
function measure(fn, list, { rounds, perRound }) {
	// Warm-up long enough for V8 to optimise the code measured.
	for (let i = 0; i < 5000; i++) fn(list[i % list.length]);
	const means = [];
	let sink = 0;
	for (let r = 0; r < rounds; r++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < perRound; i++) {
			const out = fn(list[i % list.length]);
			if (out) sink++;
		}
		means.push(Number(process.hrtime.bigint() - start) / 1000 / perRound);
	}
	if (sink < 0) console.log(sink);
	// The fastest round: on a shared machine other processes only ever add time.
	return Math.min(...means);
}

function nodeCost({ quick = false } = {}) {
	const plan = quick ? { rounds: 3, perRound: 2000 } : { rounds: 7, perRound: 5000 };
	const result = {};
	for (const format of ['json', 'xml', 'nvp']) {
		const list = bodies(format, 64);
		const bare = measure(BARE[format], list, plan);
		const parse = measure((b) => nodeParse(b, format), list, plan);
		const pipeline = measure(nodePipeline, list, plan);
		// The content hash and event key hash texts whose definitions stored keys fix.
		const hashes = measure(throughHashes, list, plan) - measure(parseAndRoute, list, plan);
		result[format] = {
			bytes: Math.round(list.reduce((sum, b) => sum + b.buffer.length, 0) / list.length),
			bareUs: bare,
			parseUs: parse,
			pipelineUs: pipeline,
			parseRatio: parse / bare,
			pipelineRatio: pipeline / bare,
			hashesUs: hashes,
			withoutHashesRatio: (pipeline - hashes) / bare,
		};
	}
	return result;
}

function formatNodeCost(result) {
	const bareName = { json: 'JSON.parse', xml: 'saxes', nvp: 'URLSearchParams' };
	const lines = [
		'format  bytes  bare parser            node parse        node pipeline (parse+classify+item)  of which the two hashes',
	];
	for (const [format, r] of Object.entries(result)) {
		lines.push(
			`${format.padEnd(6)} ${String(r.bytes).padStart(6)}  ${bareName[format].padEnd(15)} ${r.bareUs.toFixed(1).padStart(5)} µs  ${r.parseUs.toFixed(1).padStart(6)} µs (${r.parseRatio.toFixed(1)}×)  ${r.pipelineUs.toFixed(1).padStart(6)} µs (${r.pipelineRatio.toFixed(1)}×)  ${r.hashesUs.toFixed(1).padStart(5)} µs (without: ${r.withoutHashesRatio.toFixed(1)}×)`,
		);
	}
	return lines.join('\n');
}

module.exports = { formatNodeCost };

if (require.main === module) {
	const { values } = parseArgs({
		options: { quick: { type: 'boolean' }, json: { type: 'boolean' } },
	});
	const result = nodeCost({ quick: values.quick });
	console.log(values.json ? JSON.stringify(result, null, 2) : formatNodeCost(result));
}
