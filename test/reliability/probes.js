// Requests that must be refused by a running n8n: bad inputs (raw bytes, one at a time so each is
// timed alone) and wrong credentials (several in flight). Each returns the cases that broke a rule.
const { rawRequest, postHead } = require('./raw-http');
const { headerLinesOf, judge } = require('./bad-inputs');
const { distinctMessages, httpPost, concurrencyLimit } = require('../../tools/instamed-delivery');

// A refusal must come fast, well before InstaMed's 20 s wait: slow parsing or a hang shows here. A 1 MB
// body was once refused after 1082 ms on the 2-core CI machine (slowest otherwise 401-582 ms).
const ANSWER_LIMIT_MS = 2000;

/** Sends every bad input once; resolves to { tried, failures: [{ category, name, problems }], slowestMs }. */
async function sendBadInputs({ url, authorization, cases, deadline }) {
	const { port, pathname } = new URL(url);
	const failures = [];
	let tried = 0;
	let slowestMs = 0;
	for (const testCase of cases) {
		if (Date.now() > deadline) throw new Error('deadline reached while sending bad inputs');
		const head = postHead({
			path: pathname,
			port,
			headerLines: headerLinesOf(testCase, authorization),
			contentLength: testCase.body.length,
		});
		const answer = await rawRequest({ port: Number(port), head, body: testCase.body });
		tried++;
		slowestMs = Math.max(slowestMs, answer.ms);
		const problems = judge(answer, ANSWER_LIMIT_MS);
		if (problems.length > 0)
			failures.push({ category: testCase.category, name: testCase.name, problems });
	}
	return { tried, failures, slowestMs: Math.round(slowestMs) };
}

/**
 * A refusal of a wrong credential: 401, or the trigger's 503 "Token validation busy" once the
 * identity service's call budget is spent (guards/serviceGate.ts) - the token was not accepted
 * and nothing ran either way.
 */
function refusedCredential(answer) {
	return (
		answer.status === 401 || (answer.status === 503 && answer.text === 'Token validation busy')
	);
}

/**
 * Posts `count` distinct valid notifications to `url`, each with a wrong credential from
 * `wrong(i)`; every answer must be a refusal (refusedCredential). Message ids start with `runId`, so one stored by mistake
 * would be found in the database.
 */
// Longer than the trigger's own bound on an identity-service call (5 s, guards/authenticateRequest.ts),
// so the probe hears the trigger's answer even when the issuer is slow: a soak run on a loaded
// machine once counted "timeout" for an unknown opaque token after exactly the trigger's 5 s.
const WRONG_CREDENTIAL_WAIT_MS = 10_000;

async function sendWrongCredentials({ url, count, wrong, runId, concurrency = 8, deadline }) {
	const messages = distinctMessages({ count, runId });
	const limit = concurrencyLimit(concurrency);
	const failures = [];
	const kinds = new Set();
	await Promise.all(
		messages.map(async (message, i) => {
			await limit.acquire();
			try {
				if (Date.now() > deadline)
					throw new Error('deadline reached while sending wrong credentials');
				const { kind, authorization } = await wrong(i);
				kinds.add(kind);
				const answer = await httpPost({
					url,
					body: message.body,
					contentType: message.contentType,
					headers: { authorization },
					timeoutMs: WRONG_CREDENTIAL_WAIT_MS,
				});
				if (!refusedCredential(answer))
					failures.push({ kind, status: answer.status ?? answer.error ?? 'timeout' });
			} finally {
				limit.release();
			}
		}),
	);
	return { tried: count, kinds: kinds.size, failures };
}

module.exports = { sendBadInputs, sendWrongCredentials, refusedCredential, ANSWER_LIMIT_MS };
