// The message stream under faults: distinct notifications arrive over time and are delivered by
// the InstaMed simulator (challenge flow, 20 s wait, scaled retry schedule), with deliberate
// re-deliveries, while the database is cut, then hangs, and n8n is restarted. Faults are driven by
// progress (share of first posts made), so they land mid-stream however fast this machine is.
const {
	distinctMessages,
	deliverAll,
	withBody,
	summarise,
} = require('../../tools/instamed-delivery');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FORMATS = ['json', 'xml', 'nvp'];

/**
 * Every delivery of the stream. Each message is posted once in its own format; besides,
 * `every.concurrent`-th messages are posted twice at the same moment (a race on the first insert),
 * `every.again`-th ones again in the same format `againAfterMs` later, and `every.otherFormat`-th
 * ones again in the next format (eventKey must not depend on the format).
 */
function streamDeliveries({ count, runId, spreadMs, againAfterMs, every }) {
	const messages = distinctMessages({ count, runId });
	const deliveries = [];
	messages.forEach((message, i) => {
		const startAfterMs = Math.round((spreadMs * i) / count);
		deliveries.push({ ...message, kind: 'original', startAfterMs });
		if (i % every.concurrent === every.concurrent - 1) {
			deliveries.push({ ...message, kind: 'concurrent duplicate', startAfterMs });
		}
		if (i % every.again === 3) {
			deliveries.push({
				...message,
				kind: 're-delivery',
				startAfterMs: startAfterMs + againAfterMs,
			});
		}
		if (i % every.otherFormat === 5) {
			const other = FORMATS[(FORMATS.indexOf(message.format) + 1) % FORMATS.length];
			deliveries.push({
				...withBody(message, other),
				kind: 're-delivery in another format',
				startAfterMs: startAfterMs + againAfterMs,
			});
		}
	});
	return { messages, deliveries };
}

/**
 * Runs the faults in order as the share of originals posted passes each one's `atShare`.
 * `faults`: [{ name, atShare, run: async () => durationMs }]. Resolves when all ran or `done()`.
 */
async function driveFaults({ faults, progress, done, deadline, log }) {
	const ran = [];
	for (const fault of faults) {
		while (progress() < fault.atShare) {
			if (done()) return ran;
			if (Date.now() > deadline) throw new Error(`deadline reached waiting to ${fault.name}`);
			await sleep(200);
		}
		log(`${fault.name} (at ${Math.round(progress() * 100)}% of first posts)`);
		const started = Date.now();
		await fault.run();
		ran.push({ name: fault.name, seconds: (Date.now() - started) / 1000 });
	}
	return ran;
}

/**
 * Delivers the stream to `url` (with `post`, httpPost when undefined) while the faults run. Returns the messages, final deliveries,
 * the simulator's summary and the faults as they ran.
 */
async function runStream({
	url,
	post,
	basic,
	schedule,
	concurrency,
	stream,
	faults,
	deadline,
	log,
}) {
	const { messages, deliveries } = streamDeliveries(stream);
	const originals = deliveries.filter((delivery) => delivery.kind === 'original').length;
	let firstPosts = 0;
	let finished = false;
	const delivering = deliverAll(deliveries, {
		url,
		post,
		auth: { user: basic.username, password: basic.password },
		schedule,
		concurrency,
		onAttempt: (delivery) => {
			if (delivery.message.kind === 'original' && delivery.attempts.length === 1) firstPosts++;
		},
	}).finally(() => {
		finished = true;
	});
	const faultsRan = await driveFaults({
		faults,
		progress: () => firstPosts / originals,
		done: () => finished,
		deadline,
		log,
	});
	const final = await delivering;
	return { messages, deliveries: final, summary: summarise(final), faults: faultsRan };
}

module.exports = { runStream, streamDeliveries };
