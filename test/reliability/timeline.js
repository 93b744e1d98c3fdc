// Explains a message the campaign lost or stored twice, by itself: every attempt InstaMed made
// (when, each answer with its reason, the n8n execution that answered, the n8n process, the fault
// active then) and, for a lost one, what n8n recorded for the executions around those attempts.

/** Records when each fault ran and when n8n was replaced, against one clock. */
function faultRecorder(now = Date.now) {
	const windows = [];
	const restarts = [];
	return {
		windows,
		restarts,
		/** Wraps a fault's run so its window is recorded. */
		record(name, run) {
			return async () => {
				const window = { name, startedAt: now(), endedAt: undefined };
				windows.push(window);
				try {
					return await run();
				} finally {
					window.endedAt = now();
				}
			};
		},
		restarted(at) {
			restarts.push(at);
		},
	};
}

/** The faults whose windows overlap [from, to]. */
function faultsDuring(windows, from, to) {
	return windows
		.filter((window) => window.startedAt <= to && (window.endedAt ?? Infinity) >= from)
		.map((window) => window.name);
}

/** Which n8n process (1 = the first, 2 = after the first restart, ...) a time falls in. */
function processAt(restarts, at) {
	return 1 + restarts.filter((restartedAt) => restartedAt <= at).length;
}

function describeAnswer(request) {
	if (request.timedOut) return 'timeout';
	if (request.error) return request.error;
	const execution = request.execution ? ` [execution ${request.execution}]` : '';
	const reason = request.reason && request.reason !== 'OK' ? ` ${request.reason}` : '';
	// Who decided the answer, as the trigger marks it; no mark: the trigger never saw the request.
	const decided = request.answeredBy
		? ` (${request.answeredBy})`
		: ' (no trigger mark: n8n answered alone)';
	return `${request.status}${reason}${execution}${decided}`;
}

/** One line per attempt of a delivery, times in seconds from `t0`. */
function attemptLines(delivery, recorder, t0) {
	return delivery.attempts.map((attempt, index) => {
		const at = ((attempt.startedAt - t0) / 1000).toFixed(1);
		const took = ((attempt.endedAt - attempt.startedAt) / 1000).toFixed(1);
		const faults = faultsDuring(recorder.windows, attempt.startedAt, attempt.endedAt);
		return `    attempt ${index + 1} at ${at} s (${took} s, n8n process ${processAt(recorder.restarts, attempt.startedAt)}${faults.length ? `, during: ${faults.join(', ')}` : ''}): ${attempt.requests.map(describeAnswer).join(' -> ')} => ${attempt.outcome}`;
	});
}

/** The executions n8n recorded that carry `messageId`, started within the delivery's attempts. */
async function executionsOf(rest, workflowId, delivery, messageId) {
	const from = Math.min(...delivery.attempts.map((attempt) => attempt.startedAt)) - 2000;
	const to = Math.max(...delivery.attempts.map((attempt) => attempt.endedAt)) + 2000;
	const candidates = (await rest.executionSummaries(workflowId)).filter((execution) => {
		const started = Date.parse(execution.startedAt);
		return started >= from && started <= to;
	});
	const found = [];
	for (const execution of candidates) {
		const data = await rest.executionData(execution.id);
		if (data.includes(messageId)) found.push(execution);
	}
	return found;
}

/**
 * The explanation of each message in `ids`: its deliveries' attempts and, with `rest`, the
 * executions n8n recorded for it (id, status, the last step it ran).
 */
async function explainMessages({ ids, deliveries, recorder, t0, rest, workflowId, rows }) {
	const lines = [];
	for (const id of ids) {
		lines.push(`  message ${id}: ${rows(id)} row(s)`);
		const own = deliveries.filter((delivery) => delivery.message.id === id);
		for (const delivery of own) {
			lines.push(`   ${delivery.message.kind} (${delivery.message.format}), ${delivery.state}:`);
			lines.push(...attemptLines(delivery, recorder, t0));
			if (!rest) continue;
			try {
				const executions = await executionsOf(rest, workflowId, delivery, id);
				lines.push(
					`    n8n executions: ${executions.length === 0 ? 'none recorded' : executions.map((e) => `${e.id} ${e.status}`).join('; ')}`,
				);
			} catch (error) {
				lines.push(`    n8n executions: could not be read (${error.message})`);
			}
		}
	}
	return lines;
}

/** Non-2xx answers by status and reason phrase, e.g. how often the answer guard stepped in. */
function answersByReason(deliveries) {
	const counts = {};
	for (const request of deliveries.flatMap((delivery) =>
		delivery.attempts.flatMap((a) => a.requests),
	)) {
		if (request.status === undefined || request.status === 200 || request.status === 401) continue;
		const key = `${request.status} ${request.reason ?? ''}`.trim();
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

module.exports = { faultRecorder, faultsDuring, processAt, explainMessages, answersByReason };
