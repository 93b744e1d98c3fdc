// Helpers for tests against the shared n8n: URLs, posting marked messages, counting executions
// and finding stored rows.
const { N8nRest } = require('../../../harness/rest');
const { httpPost, basicAuthorization } = require('../../../tools/instamed-delivery');
const { serialise } = require('../../../tools/sample-messages');
const { readState } = require('./state');

// Each test marks its messages in a merchant field InstaMed passes through untouched, so rows can
// be found by marker (and runs never see each other's rows). The eventKey is the identity of the
// event (transaction id, status, amount...), so marking also gives each marker its own transaction
// ids: differently marked messages are different events, not re-deliveries of one.
const { createHash } = require('node:crypto');
const MARKER_FIELD = 'AdditionalInfo3';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The shared n8n global-setup.js started (its state, scenario URLs, markers) and the owner's
 * session there, made from the global setup's login: every file logging in would hit n8n's limit.
 */
function sharedN8n() {
	const state = readState();
	const scenario = (name) => {
		const found = state.scenarios[name];
		if (!found) throw new Error(`No e2e scenario ${name}`);
		return found;
	};
	const e2e = {
		state,
		scenario,
		url: (name) => `${state.webhookBaseUrl}/webhook/${scenario(name).path}`,
		testUrl: (name) => `${state.baseUrl}/webhook-test/${scenario(name).path}`,
		basicAuthorization: () => basicAuthorization(state.basic.username, state.basic.password),
		marker: (label) => `e2e-${state.runId}-${label}`,
	};
	return { e2e, rest: N8nRest.fromSession(state.baseUrl, state.ownerSession) };
}

/** The same id for the same marker (a void keeps its sale's id), another for another marker. */
function markedId(id, marker) {
	return createHash('sha256').update(`${marker}\n${id}`).digest('hex').slice(0, 32).toUpperCase();
}

function mark(fields, marker) {
	const marked = { ...fields, [MARKER_FIELD]: marker };
	if (fields.PaymentTransactionID) {
		marked.PaymentTransactionID = markedId(fields.PaymentTransactionID, marker);
	}
	return marked;
}

/** POSTs `fields` in `format` (InstaMed's Content-Type) with extra headers. */
async function send(url, format, fields, headers = {}) {
	const { body, contentType } = serialise(format, fields);
	return await httpPost({ url, body, contentType, headers });
}

async function sendRaw(url, body, contentType, headers = {}) {
	return await httpPost({ url, body, contentType, headers });
}

/** Waits until n8n has recorded `expected` executions of the workflow; returns the count. */
async function waitForExecutions(rest, workflowId, expected, timeoutMs = 15_000) {
	const deadline = Date.now() + timeoutMs;
	let count = await rest.countExecutions(workflowId);
	while (count < expected && Date.now() < deadline) {
		await sleep(200);
		count = await rest.countExecutions(workflowId);
	}
	return count;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Statuses of a workflow's executions after the first `before`, newest first, once `count` of
 * them are there and all have finished. n8n may answer before it saves the run, and Confirm
 * Stored answers before the run ends, so a test waits here before reading what a run did.
 */
async function finishedExecutionStatuses(rest, workflowId, before, count, timeoutMs = 15_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await rest.executions(workflowId)).slice(0, -before || undefined);
		const done = fresh.every((execution) => FINISHED.has(execution.status));
		if ((fresh.length >= count && done) || Date.now() > deadline) {
			return fresh.map((execution) => execution.status);
		}
		await sleep(200);
	}
}

/**
 * The executions recorded after a rejected request: n8n records a run (if it does) while it
 * answers, so a short settle time is enough to see one that should not be there.
 */
async function executionsAfterSettling(rest, workflowId, settleMs = 1500) {
	await sleep(settleMs);
	return await rest.countExecutions(workflowId);
}

/** Data-table rows whose stored payload carries `marker`. */
async function tableRowsMarked(rest, tableName, marker) {
	const rows = await rest.dataTableRows(tableName);
	return rows.filter((row) => JSON.parse(row.payload ?? '{}')[MARKER_FIELD] === marker);
}

module.exports = {
	MARKER_FIELD,
	sharedN8n,
	mark,
	send,
	sendRaw,
	waitForExecutions,
	finishedExecutionStatuses,
	executionsAfterSettling,
	tableRowsMarked,
	sleep,
};
