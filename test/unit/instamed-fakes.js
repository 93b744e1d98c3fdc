// Test doubles for the InstaMed action node: n8n's execution context (IExecuteFunctions) with its
// deduplication helpers and its HTTP helper.
'use strict';

const crypto = require('node:crypto');

/**
 * In-memory stand-in for n8n's deduplication helpers in 'entries' mode, with n8n 2.40.7's
 * semantics (dist/deduplication/deduplication-helper.js): one row per scope holding md5 hashes,
 * oldest dropped past maxEntries; a record reads the row, then INSERTs it when there was none
 * (failing on the primary key if another INSERT came first) or UPDATEs it from what it read
 * (so of two concurrent updates the last one wins; an UPDATE of a deleted row changes nothing).
 * `racy`: the other executions' steps may run between the read and the write, as on two workers.
 */
function fakeDeduplication({ racy = false } = {}) {
	const rows = new Map();
	const hash = (value) => crypto.createHash('md5').update(value.toString()).digest('base64');
	const between = () => (racy ? new Promise((resolve) => setImmediate(resolve)) : undefined);
	const log = [];
	const write = (scope, entries) => {
		if (rows.has(scope)) rows.set(scope, entries);
	};
	return {
		log,
		size: (scope = 'workflow') => rows.get(scope)?.length ?? 0,
		/** Leaves a row behind as a process that died holding it would. */
		plant(scope, items) {
			rows.set(scope, items.map(hash));
		},
		async checkProcessedAndRecord(items, scope, options) {
			log.push({ op: 'check', items: [...items], scope, options });
			const read = rows.has(scope) ? [...rows.get(scope)] : undefined;
			await between();
			const trim = (entries) =>
				options.maxEntries
					? entries.slice(Math.max(0, entries.length - options.maxEntries))
					: entries;
			if (read === undefined) {
				if (rows.has(scope)) {
					throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
				}
				rows.set(scope, trim(items.map(hash)));
				return { new: [...items], processed: [] };
			}
			const result = { new: [], processed: [] };
			for (const item of items) {
				if (read.includes(hash(item))) result.processed.push(item);
				else {
					result.new.push(item);
					read.push(hash(item));
				}
			}
			write(scope, trim(read));
			return result;
		},
		async removeProcessed(items, scope, options) {
			log.push({ op: 'remove', items: [...items], scope, options });
			const read = rows.has(scope) ? [...rows.get(scope)] : undefined;
			await between();
			if (read === undefined) return;
			write(
				scope,
				read.filter((entry) => !items.map(hash).includes(entry)),
			);
		},
		async clearAllProcessedItems(scope, options) {
			log.push({ op: 'clear', items: [], scope, options });
			rows.delete(scope);
		},
	};
}

/**
 * A tiny HTTP function with the contract of n8n's httpRequestWithAuthentication as the node uses
 * it (returnFullResponse + ignoreHttpStatusErrors): resolves {statusCode, body} for every status,
 * rejects with the network error (its cause carries the code) when no answer comes.
 * `headers` are added to every request (extra headers a test wants on the wire).
 */
function fetchHttp(headers = {}) {
	const sent = [];
	async function http(options) {
		sent.push(options);
		const requestHeaders = { ...headers, ...options.headers };
		let body = options.body;
		if (options.json && typeof body === 'object') {
			body = JSON.stringify(body);
			requestHeaders['Content-Type'] = 'application/json';
		}
		if (options.auth) {
			const basic = Buffer.from(`${options.auth.username}:${options.auth.password}`);
			requestHeaders.Authorization = `Basic ${basic.toString('base64')}`;
		}
		const response = await fetch(options.url, {
			method: options.method,
			headers: requestHeaders,
			body,
			signal: AbortSignal.timeout(options.timeout ?? 10_000),
		});
		const text = await response.text();
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// Like axios, a body that is not JSON stays text.
		}
		return { statusCode: response.status, body: parsed };
	}
	http.sent = sent;
	return http;
}

/**
 * The part of n8n's IExecuteFunctions the InstaMed node uses, one for every test of the node.
 * - parameters: the node's parameters, an object or (itemIndex) => object; resource defaults to
 *   'transaction'. getNodeParameter reads dotted names ('options.transport').
 * - credentials: what getCredentials returns; http: the HTTP helper (default fetchHttp()).
 * - otherSteps: the workflow's other nodes (n8n-core keeps the Workflow on the context, its nodes
 *   by name); workflowReadable false leaves it out, as an n8n without it would.
 * - runData, parents: the run's records so far and the names getParentNodes returns.
 * sent: what sendResponse got; credentialTypes: each credential type asked for.
 */
function instaMedContext({
	items,
	parameters = {},
	credentials = {},
	continueOnFail = false,
	dedup = fakeDeduplication(),
	http = fetchHttp(),
	otherSteps = [],
	workflowReadable = true,
	runData = {},
	parents = [],
}) {
	const parametersOf = (itemIndex) => ({
		resource: 'transaction',
		...(typeof parameters === 'function' ? parameters(itemIndex) : parameters),
	});
	const node = {
		id: 'n1',
		name: 'InstaMed',
		type: 'n8n-nodes-instamed.instaMed',
		typeVersion: 1,
		parameters: parametersOf(0),
	};
	const workflow = {
		nodes: Object.fromEntries([node, ...otherSteps].map((step) => [step.name, step])),
	};
	const sent = [];
	const credentialTypes = [];
	const context = {
		getInputData: () => items,
		getNodeParameter(name, itemIndex, fallback) {
			const value = name
				.split('.')
				.reduce((at, key) => (at === undefined ? undefined : at[key]), parametersOf(itemIndex));
			return value === undefined ? fallback : value;
		},
		getCredentials: async (type) => {
			credentialTypes.push(type);
			return credentials;
		},
		getNode: () => structuredClone(node),
		getParentNodes: () => parents.map((name) => ({ name })),
		sendResponse: async (response) => sent.push(response),
		getExecutionId: () => '4711',
		continueOnFail: () => continueOnFail,
		runExecutionData: { resultData: { runData } },
		...(workflowReadable ? { workflow } : {}),
		helpers: {
			httpRequestWithAuthentication: async (type, options) => {
				credentialTypes.push(type);
				return http(options);
			},
			checkProcessedAndRecord: dedup.checkProcessedAndRecord,
			removeProcessed: dedup.removeProcessed,
			clearAllProcessedItems: dedup.clearAllProcessedItems,
		},
	};
	return { context, http, credentialTypes, dedup, sent };
}

const OPERATIONS = {
	refund: require('../../nodes/InstaMed/actions/transaction/refund.operation.ts'),
	void: require('../../nodes/InstaMed/actions/transaction/void.operation.ts'),
	voidOrRefund: require('../../nodes/InstaMed/actions/transaction/voidOrRefund.operation.ts'),
};
const { transactionSteps } = require('../../nodes/InstaMed/actions/transaction/execute.ts');

/** Every call an operation makes for one item (its perform), through the guarded steps. */
const performOperation = (send, guard, input) =>
	OPERATIONS[input.operation].perform(transactionSteps(send, guard, input));

module.exports = { fakeDeduplication, fetchHttp, instaMedContext, performOperation };
