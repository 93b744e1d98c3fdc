// The bench's client: posts distinct notifications at a fixed concurrency for a while or for a
// number of messages, and records every answer (status, latency, when it came back).
const http = require('node:http');
const { messages, serialise } = require('../tools/sample-messages');

const SAMPLES = Object.values(messages);

/**
 * Distinct notifications: every fixture message in turn, each with its own PaymentTransactionID
 * (`<tag><sequence>`), so each is a new event and can be looked up in storage.
 */
class MessageSource {
	constructor(tag) {
		this.tag = tag;
		this.sequence = 0;
	}

	next(format) {
		const index = this.sequence++;
		const id = `${this.tag}${String(index).padStart(7, '0')}`;
		const fields = { ...SAMPLES[index % SAMPLES.length], PaymentTransactionID: id };
		const { body, contentType } = serialise(format, fields);
		return { id, body: Buffer.from(body), contentType };
	}
}

function post(agent, url, message, authorization) {
	const started = performance.now();
	return new Promise((resolve) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				headers: {
					'content-type': message.contentType,
					'content-length': message.body.length,
					authorization,
				},
			},
			(res) => {
				// A refusal's reason (the trigger's, or n8n's own when n8n answers first) is kept.
				const refused = res.statusCode < 200 || res.statusCode >= 300;
				let text = '';
				if (refused) {
					res.on('data', (chunk) => {
						if (text.length < 120) text += chunk;
					});
				} else res.resume();
				res.on('end', () => {
					const done = performance.now();
					resolve({
						status: res.statusCode,
						latencyMs: done - started,
						doneAt: performance.timeOrigin + done,
						...(refused && { reason: text.slice(0, 120) }),
					});
				});
			},
		);
		// InstaMed gives up after 20 s; the bench waits longer so slow answers are counted, not lost.
		req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
		req.on('error', (error) => {
			const done = performance.now();
			resolve({
				status: 0,
				latencyMs: done - started,
				doneAt: performance.timeOrigin + done,
				reason: error.message,
			});
		});
		req.end(message.body);
	});
}

/**
 * Posts at `concurrency` until `durationMs` has passed or `count` messages were sent.
 * Returns every answer: { id, status, latencyMs, doneAt } and the elapsed time.
 */
async function drive({ url, auth, source, format = 'json', concurrency, durationMs, count }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
	const answers = [];
	const started = performance.now();
	let sent = 0;
	const more = () =>
		count !== undefined ? sent < count : performance.now() - started < durationMs;
	async function worker() {
		while (more()) {
			sent++;
			const message = source.next(format);
			const answer = await post(agent, url, message, authorization);
			answers.push({ id: message.id, ...answer });
		}
	}
	await Promise.all(Array.from({ length: concurrency }, worker));
	const elapsedMs = performance.now() - started;
	agent.destroy();
	return { answers, elapsedMs };
}

function percentile(sorted, p) {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Latency figures of a list of answers. */
function latencyStats(answers) {
	const sorted = answers.map((answer) => answer.latencyMs).sort((a, b) => a - b);
	return {
		p50: percentile(sorted, 50),
		p99: percentile(sorted, 99),
		max: sorted.length ? sorted[sorted.length - 1] : NaN,
	};
}

function statusCounts(answers) {
	const counts = {};
	for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
	return counts;
}

/** How many answers gave each refusal: status and the start of its body. */
function refusalCounts(answers) {
	const counts = {};
	for (const { status, reason } of answers) {
		if (reason === undefined) continue;
		const key = `${status} ${reason}`;
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

module.exports = { MessageSource, drive, latencyStats, statusCounts, refusalCounts, percentile };
