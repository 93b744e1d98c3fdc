#!/usr/bin/env node
// Sends InstaMed notifications to a webhook URL, the way InstaMed does (instamed-delivery.js):
// Basic credentials only after InstaMed's 401 challenge, a bearer token on the first post.
// - Samples (default): each chosen sample (tools/sample-messages.js) once per format, printing
//   each answer's status and reason.
// - Rehearsal (--count N): N distinct messages through InstaMed's retry schedule (a failed post is
//   retried every 30 minutes, five attempts), printing a summary; --time-scale shortens the wait.
//
//   npm run send -- --trigger approved --format xml --url http://localhost:5678/webhook/instamed \
//     --user instamed-demo --password <password>
//   npm run send -- --trigger all --format all --url ... --token <bearer token>
//   npm run send -- --count 50 --time-scale 0.001 --url ... --user instamed-demo --password <secret>
'use strict';
const { parseArgs } = require('node:util');
const { messages, formats, serialise } = require('./sample-messages');
const {
	STATES,
	TRIGGERS,
	deliverAll,
	distinctMessages,
	httpPost,
	postWithChallenge,
	scaledSchedule,
	summarise,
} = require('./instamed-delivery');

const USAGE = `Usage: npm run send -- --url <webhook URL> [options]
  --trigger <name,...|all>   ${TRIGGERS.map(shortName).join(', ')} (or full names);
                             default approved, with --count all (cycled)
  --format <json|xml|nvp,...|all>   default json, with --count all (cycled)
  --user <name> --password <secret>   Basic credentials, sent after InstaMed's 401 challenge
  --token <token>            OAuth2 bearer token, sent on the first post
  --header <Name: value>     extra request header (repeatable), e.g. "X-Forwarded-For: 52.0.168.18"
  --repeat <n>               deliver each sample n times (as InstaMed's retries do); default 1
Rehearsal with InstaMed's retry schedule:
  --count <n>                distinct messages to deliver
  --time-scale <f>           scales the 30-minute retry interval (0.001 -> 1.8 s); default 1
  --timeout-seconds <s>      how long a post waits for a status; default 20 (InstaMed's)
  --concurrency <n>          posts in flight at once; default 4
  --spread-seconds <s>       spread first posts over this long (arrivals over time); default 0
  --json                     print the summary as JSON`;

function shortName(trigger) {
	const rest = trigger.replace(/^payment/, '');
	return rest.charAt(0).toLowerCase() + rest.slice(1);
}

/** `approved`, `Approved`, `paymentApproved`, `planCreated` -> the sample's key. */
function resolveTrigger(name) {
	const wanted = name.toLowerCase().replace(/[^a-z]/g, '');
	const found = TRIGGERS.find(
		(trigger) => trigger.toLowerCase() === wanted || shortName(trigger).toLowerCase() === wanted,
	);
	if (!found)
		throw new Error(`Unknown trigger "${name}"; one of: ${TRIGGERS.map(shortName).join(', ')}`);
	return found;
}

function resolveFormat(format) {
	if (!formats.includes(format))
		throw new Error(`Unknown format "${format}"; one of: ${formats.join(', ')}`);
	return format;
}

function expand(value, all, resolve) {
	return value === 'all' ? all : value.split(',').map((part) => resolve(part.trim()));
}

function parseHeaders(list) {
	return Object.fromEntries(
		list.map((line) => {
			const at = line.indexOf(':');
			if (at < 1) throw new Error(`--header needs "Name: value", got "${line}"`);
			return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
		}),
	);
}

function positiveNumber(value, name) {
	const number = Number(value);
	if (!(number >= 0) || !Number.isFinite(number))
		throw new Error(`--${name} needs a number, got "${value}"`);
	return number;
}

/** Delivers one sample as InstaMed does (see postWithChallenge); returns every answer. */
async function deliver({ url, trigger, format, user, password, token, headers = {} }) {
	const { body, contentType } = serialise(format, messages[trigger]);
	const send = (extra) => httpPost({ url, body, contentType, headers: extra });
	return await postWithChallenge(send, { auth: { user, password, token }, headers });
}

function describeAnswer(answer) {
	if (answer.timedOut) return 'no answer within 20 s';
	if (answer.error) return `connection failed (${answer.error})`;
	const text =
		answer.text && answer.text !== answer.reason ? ` ${JSON.stringify(answer.text)}` : '';
	return `${answer.status} ${answer.reason}${text}`;
}

async function sendSamples(values, triggers, chosenFormats) {
	const headers = parseHeaders(values.header);
	let failures = 0;
	for (const trigger of triggers) {
		for (const format of chosenFormats) {
			for (let delivery = 1; delivery <= Number(values.repeat); delivery++) {
				const attempts = await deliver({ ...values, trigger, format, headers });
				const final = attempts[attempts.length - 1];
				if (final.status !== 200) failures++;
				const steps = attempts.map(describeAnswer).join(' -> challenged, sent credentials -> ');
				console.log(`${shortName(trigger).padEnd(12)} ${format.padEnd(4)} ${steps}`);
			}
		}
	}
	return failures === 0 ? 0 : 1;
}

/** How a delivery's attempts ended, e.g. `500, timeout, ECONNREFUSED`. */
function attemptTrail(delivery) {
	return delivery.attempts
		.map((attempt) => {
			const last = attempt.requests[attempt.requests.length - 1];
			return last.status ?? (last.timedOut ? 'timeout' : last.error);
		})
		.join(', ');
}

function printSummary(summary, schedule, seconds, deliveries) {
	const lines = [
		`messages ${summary.messages}: stored ${summary.stored}, posting error ${summary.postingError}`,
		`attempts ${summary.attempts} (per message: ${JSON.stringify(summary.attemptsHistogram)}), ` +
			`retried messages ${summary.retriedMessages}, timed-out attempts ${summary.timedOutAttempts}`,
		`requests ${summary.requests} by answer ${JSON.stringify(summary.requestsByStatus)}`,
		`latency of answered posts ms: p50 ${summary.latencyMs.p50}, p95 ${summary.latencyMs.p95}, max ${summary.latencyMs.max}`,
		`schedule: retry every ${(schedule.retryIntervalMs / 1000).toFixed(1)} s, ${schedule.maxAttempts} attempts, ` +
			`timeout ${schedule.timeoutMs / 1000} s, ${schedule.maxTimeouts} timeouts end the post`,
		`took ${seconds.toFixed(1)} s`,
	];
	for (const delivery of deliveries.filter((d) => d.state === STATES.failed).slice(0, 10)) {
		const { id, trigger, format } = delivery.message;
		lines.push(`posting error: ${id} (${trigger}, ${format}) after ${attemptTrail(delivery)}`);
	}
	console.log(lines.join('\n'));
}

async function rehearse(values, triggers, chosenFormats) {
	const schedule = scaledSchedule({
		timeScale: positiveNumber(values['time-scale'], 'time-scale'),
		timeoutMs: positiveNumber(values['timeout-seconds'], 'timeout-seconds') * 1000,
	});
	const count = Math.floor(positiveNumber(values.count, 'count'));
	const spreadMs = positiveNumber(values['spread-seconds'], 'spread-seconds') * 1000;
	const rehearsal = distinctMessages({ count, triggers, formats: chosenFormats }).map(
		(message, index) => ({
			...message,
			startAfterMs: count > 1 ? (spreadMs * index) / (count - 1) : 0,
		}),
	);
	const auth = values.token
		? { token: values.token }
		: { user: values.user, password: values.password };
	const started = Date.now();
	const deliveries = await deliverAll(rehearsal, {
		url: values.url,
		auth,
		schedule,
		concurrency: Math.max(1, Math.floor(positiveNumber(values.concurrency, 'concurrency'))),
	});
	const summary = summarise(deliveries);
	if (values.json) console.log(JSON.stringify({ ...summary, schedule }, null, 2));
	else printSummary(summary, schedule, (Date.now() - started) / 1000, deliveries);
	return summary.postingError === 0 ? 0 : 1;
}

async function main(argv) {
	const { values } = parseArgs({
		args: argv,
		options: {
			url: { type: 'string' },
			trigger: { type: 'string' },
			format: { type: 'string' },
			user: { type: 'string' },
			password: { type: 'string' },
			token: { type: 'string' },
			header: { type: 'string', multiple: true, default: [] },
			repeat: { type: 'string', default: '1' },
			count: { type: 'string' },
			'time-scale': { type: 'string', default: '1' },
			'timeout-seconds': { type: 'string', default: '20' },
			concurrency: { type: 'string', default: '4' },
			'spread-seconds': { type: 'string', default: '0' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help || !values.url) {
		console.log(USAGE);
		return values.help ? 0 : 2;
	}
	const rehearsal = values.count !== undefined;
	const triggers = expand(
		values.trigger ?? (rehearsal ? 'all' : 'approved'),
		TRIGGERS,
		resolveTrigger,
	);
	const chosenFormats = expand(
		values.format ?? (rehearsal ? 'all' : 'json'),
		formats,
		resolveFormat,
	);
	return rehearsal
		? await rehearse(values, triggers, chosenFormats)
		: await sendSamples(values, triggers, chosenFormats);
}

module.exports = { deliver };

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			console.error(error.message);
			process.exit(2);
		},
	);
}
