// InstaMed delivery simulator: posts notifications the way InstaMed's published delivery rules
// say it does, so a workflow can be rehearsed against them:
// - Basic is a challenge: each attempt posts without credentials, then again after a 401 with
//   `WWW-Authenticate: Basic`; a bearer token is sent on the first post.
// - InstaMed waits 20 s for a status; only 200 means stored. Any other status, a connection error
//   or a timeout is a failed attempt, retried every 30 minutes, five attempts at most; two timed-out
//   attempts end the post at once. The message then ends in "posting error".
// The 30-minute interval can be scaled down (--time-scale); the 20 s timeout is set on its own
// (--timeout-seconds) because scaling it with the interval would time out every real request.
// Its command line is send.js --count.
'use strict';
const https = require('node:https');
const { randomBytes } = require('node:crypto');
const { messages: samples, formats: FORMATS, serialise } = require('./sample-messages');
// The package's money rules as built (npm run build); unit tests map this to the TypeScript.
const { centsToAmount } = require('../dist/nodes/shared/money.js');

/** InstaMed's published schedule. */
const INSTAMED_SCHEDULE = Object.freeze({
	retryIntervalMs: 30 * 60 * 1000,
	maxAttempts: 5,
	timeoutMs: 20_000,
	maxTimeouts: 2,
});

const STATES = Object.freeze({
	pending: 'pending',
	retrying: 'pending posting retry',
	stored: 'stored',
	failed: 'posting error',
});

// A merchant field InstaMed passes through untouched: each generated message carries its own id
// there, so rows can be counted per message whatever the trigger does with the rest.
const MESSAGE_ID_FIELD = 'AdditionalInfo3';

const TRIGGERS = Object.keys(samples);

/** The schedule with the retry interval scaled (0.001: 30 min -> 1.8 s) and an optional timeout. */
function scaledSchedule({ timeScale = 1, timeoutMs } = {}) {
	if (!(timeScale > 0)) throw new Error(`time scale must be > 0, got ${timeScale}`);
	return {
		...INSTAMED_SCHEDULE,
		retryIntervalMs: Math.round(INSTAMED_SCHEDULE.retryIntervalMs * timeScale),
		timeoutMs: timeoutMs ?? INSTAMED_SCHEDULE.timeoutMs,
	};
}

/** What InstaMed makes of one attempt's last answer. */
function outcomeOf(answer) {
	if (answer.timedOut) return 'timeout';
	return answer.status === 200 ? 'stored' : 'failed';
}

function newDelivery(message) {
	return { message, state: STATES.pending, attempts: [], timeouts: 0, nextAttemptAt: 0 };
}

/**
 * The delivery after one attempt ({ startedAt, endedAt, outcome, requests }): stored on 200;
 * "posting error" after the last attempt or the second timeout; otherwise a retry one interval
 * after the failed attempt ended.
 */
function afterAttempt(delivery, attempt, schedule) {
	const attempts = [...delivery.attempts, attempt];
	const timeouts = delivery.timeouts + (attempt.outcome === 'timeout' ? 1 : 0);
	const next = { ...delivery, attempts, timeouts, nextAttemptAt: null };
	if (attempt.outcome === 'stored') return { ...next, state: STATES.stored };
	if (attempts.length >= schedule.maxAttempts || timeouts >= schedule.maxTimeouts) {
		return { ...next, state: STATES.failed };
	}
	return {
		...next,
		state: STATES.retrying,
		nextAttemptAt: attempt.endedAt + schedule.retryIntervalMs,
	};
}

function isFinal(delivery) {
	return delivery.state === STATES.stored || delivery.state === STATES.failed;
}

function basicAuthorization(user, password) {
	return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * One HTTP POST with InstaMed's wait: resolves to { status, reason, text, challenge, execution,
 * answeredBy, ms } (execution: the n8n execution a Confirm Stored or Refuse step named;
 * answeredBy: who decided the answer, as the trigger marks it, undefined when n8n answered
 * without the trigger running), or { timedOut: true } / { error } (a connection failure, e.g.
 * while n8n restarts). Never throws. `text` is the start of the answer (a refusal's reason; n8n's
 * answers carry no message data).
 */
async function httpPost({
	url,
	body,
	contentType,
	headers,
	timeoutMs = INSTAMED_SCHEDULE.timeoutMs,
}) {
	const started = performance.now();
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': contentType, ...headers },
			body,
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = (await res.text()).slice(0, 200);
		return {
			status: res.status,
			reason: res.statusText,
			text,
			challenge: res.headers.get('www-authenticate'),
			execution: res.headers.get('x-instamed-execution') ?? undefined,
			answeredBy: res.headers.get('x-instamed-answer') ?? undefined,
			ms: performance.now() - started,
		};
	} catch (error) {
		if (error.name === 'TimeoutError') return { timedOut: true, ms: performance.now() - started };
		return { error: error.cause?.code ?? error.name, ms: performance.now() - started };
	}
}

/**
 * httpPost over HTTPS with a client certificate, as InstaMed calls a mutual-TLS endpoint:
 * `tls` is { ca, cert, key }. Returns a function taking httpPost's options.
 */
function tlsPost(tls) {
	return ({ url, body, contentType, headers, timeoutMs = INSTAMED_SCHEDULE.timeoutMs }) => {
		const started = performance.now();
		const ms = () => performance.now() - started;
		return new Promise((resolve) => {
			const request = https.request(
				url,
				{
					method: 'POST',
					headers: {
						'content-type': contentType,
						'content-length': Buffer.byteLength(body),
						...headers,
					},
					agent: false,
					...tls,
				},
				(res) => {
					let text = '';
					res.setEncoding('utf8');
					res.on('data', (chunk) => (text += chunk));
					res.on('end', () =>
						resolve({
							status: res.statusCode,
							reason: res.statusMessage,
							text: text.slice(0, 200),
							challenge: res.headers['www-authenticate'] ?? null,
							execution: res.headers['x-instamed-execution'],
							answeredBy: res.headers['x-instamed-answer'],
							ms: ms(),
						}),
					);
					res.on('error', (error) => resolve({ error: error.code ?? error.name, ms: ms() }));
				},
			);
			request.setTimeout(timeoutMs, () => {
				request.destroy();
				resolve({ timedOut: true, ms: ms() });
			});
			request.on('error', (error) => resolve({ error: error.code ?? error.name, ms: ms() }));
			request.end(body);
		});
	};
}

/**
 * How InstaMed authenticates one post: a bearer token goes on the first request; with Basic the
 * first request carries no credentials and a 401 Basic challenge is answered with them.
 * `send(headers)` makes one request; returns every answer in order.
 */
async function postWithChallenge(send, { auth = {}, headers = {} } = {}) {
	const first = { ...headers };
	if (auth.token) first.authorization = `Bearer ${auth.token}`;
	const requests = [await send(first)];
	const [answer] = requests;
	if (answer.status === 401 && auth.user !== undefined && /^basic/i.test(answer.challenge ?? '')) {
		requests.push(
			await send({ ...headers, authorization: basicAuthorization(auth.user, auth.password ?? '') }),
		);
	}
	return requests;
}

/** One attempt (one challenge exchange) with InstaMed's wait. Returns the attempt record. */
async function attemptOnce(message, options, clock) {
	const { url, auth, schedule, post = httpPost, headers } = options;
	const startedAt = clock.now();
	const send = (extra) =>
		post({
			url,
			body: message.body,
			contentType: message.contentType,
			headers: extra,
			timeoutMs: schedule.timeoutMs,
		});
	const requests = await postWithChallenge(send, { auth, headers });
	const last = requests[requests.length - 1];
	return { startedAt, endedAt: clock.now(), outcome: outcomeOf(last), requests };
}

const realClock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * Delivers one message to its final state. `message`: { id, body, contentType, ... };
 * options: url, auth ({ user, password } | { token }), schedule, post, headers, onAttempt.
 * `limit` (optional) bounds concurrent HTTP posts across deliveries: { acquire(), release() }.
 */
async function deliverOne(message, options, clock = realClock) {
	const { schedule, limit, onAttempt } = options;
	let delivery = newDelivery(message);
	while (!isFinal(delivery)) {
		await clock.sleep(delivery.nextAttemptAt - clock.now());
		if (limit) await limit.acquire();
		let attempt;
		try {
			attempt = await attemptOnce(message, options, clock);
		} finally {
			if (limit) limit.release();
		}
		delivery = afterAttempt(delivery, attempt, schedule);
		onAttempt?.(delivery, attempt);
	}
	return delivery;
}

/** A FIFO limit on how many posts are in flight at once. */
function concurrencyLimit(max) {
	let active = 0;
	const waiting = [];
	return {
		acquire() {
			if (active < max) {
				active++;
				return Promise.resolve();
			}
			return new Promise((resolve) => waiting.push(resolve));
		},
		release() {
			const next = waiting.shift();
			if (next) next();
			else active--;
		},
	};
}

/**
 * Delivers every message, each on its own InstaMed schedule. A message with `startAfterMs` is
 * first posted that long after the start (how notifications arrive over time); `concurrency`
 * bounds posts in flight. Resolves to the final deliveries in the order given.
 */
async function deliverAll(messages, options, clock = realClock) {
	const limit = concurrencyLimit(options.concurrency ?? 8);
	const start = clock.now();
	return await Promise.all(
		messages.map(async (message) => {
			await clock.sleep(start + (message.startAfterMs ?? 0) - clock.now());
			return await deliverOne(message, { ...options, limit }, clock);
		}),
	);
}

function percentile(sorted, p) {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Counts over final deliveries: states, attempts, requests, timeouts, latency of answered posts. */
function summarise(deliveries) {
	const attempts = deliveries.flatMap((delivery) => delivery.attempts);
	const requests = attempts.flatMap((attempt) => attempt.requests);
	const answered = requests.filter((request) => request.status !== undefined);
	const latencies = answered.map((request) => request.ms).sort((a, b) => a - b);
	const byStatus = {};
	for (const request of requests) {
		const key = request.status ?? (request.timedOut ? 'timeout' : request.error);
		byStatus[key] = (byStatus[key] ?? 0) + 1;
	}
	const attemptsHistogram = {};
	for (const delivery of deliveries) {
		const n = delivery.attempts.length;
		attemptsHistogram[n] = (attemptsHistogram[n] ?? 0) + 1;
	}
	return {
		messages: deliveries.length,
		stored: deliveries.filter((d) => d.state === STATES.stored).length,
		postingError: deliveries.filter((d) => d.state === STATES.failed).length,
		attempts: attempts.length,
		retriedMessages: deliveries.filter((d) => d.attempts.length > 1).length,
		attemptsHistogram,
		timedOutAttempts: attempts.filter((attempt) => attempt.outcome === 'timeout').length,
		requests: requests.length,
		requestsByStatus: byStatus,
		latencyMs: {
			p50: Math.round(percentile(latencies, 50)),
			p95: Math.round(percentile(latencies, 95)),
			max: Math.round(latencies[latencies.length - 1] ?? 0),
		},
	};
}

/**
 * `count` distinct notifications built from the sample messages, cycling through `triggers` and
 * `formats`: each has its own PaymentTransactionID, Amount and message id (so its own eventKey).
 * Returns [{ id, trigger, format, fields, body, contentType }].
 */
function distinctMessages({
	count,
	triggers = TRIGGERS,
	formats = FORMATS,
	runId = randomBytes(4).toString('hex'),
}) {
	const result = [];
	for (let index = 0; index < count; index++) {
		const trigger = triggers[index % triggers.length];
		const format = formats[Math.floor(index / triggers.length) % formats.length];
		const sample = samples[trigger];
		const cents = 100 + ((index * 7919) % 999_900);
		const amount = centsToAmount(cents);
		const id = `${runId}-${index}`;
		const transactionId = `${runId}${index.toString(16).padStart(8, '0')}${sample.PaymentTransactionID.slice(16)}`;
		const fields = {
			...sample,
			PaymentTransactionID: transactionId.toUpperCase(),
			Amount: amount,
			...(sample.RequestAmount !== undefined ? { RequestAmount: amount } : {}),
			[MESSAGE_ID_FIELD]: id,
		};
		result.push(withBody({ id, trigger, format, fields }, format));
	}
	return result;
}

/** The same message serialised in `format` (a re-delivery may come in another format). */
function withBody(message, format) {
	const { body, contentType } = serialise(format, message.fields);
	return { ...message, format, body, contentType };
}

module.exports = {
	TRIGGERS,
	INSTAMED_SCHEDULE,
	STATES,
	MESSAGE_ID_FIELD,
	scaledSchedule,
	outcomeOf,
	newDelivery,
	afterAttempt,
	attemptOnce,
	deliverOne,
	deliverAll,
	concurrencyLimit,
	httpPost,
	tlsPost,
	postWithChallenge,
	summarise,
	distinctMessages,
	withBody,
	basicAuthorization,
};
