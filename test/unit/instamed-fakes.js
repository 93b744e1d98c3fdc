// Test doubles for the InstaMed action node: n8n's deduplication helpers and its HTTP helper.
'use strict';

const crypto = require('node:crypto');

/**
 * In-memory stand-in for n8n's checkProcessedAndRecord / removeProcessed in 'entries' mode,
 * with n8n's semantics (md5 of each value, one list per scope, oldest dropped past maxEntries).
 */
function fakeDeduplication() {
	const lists = new Map();
	const hash = (value) => crypto.createHash('md5').update(value.toString()).digest('base64');
	const list = (scope) => {
		if (!lists.has(scope)) lists.set(scope, []);
		return lists.get(scope);
	};
	const log = [];
	return {
		log,
		size: (scope = 'workflow') => list(scope).length,
		async checkProcessedAndRecord(items, scope, options) {
			log.push({ op: 'check', items: [...items], scope, options });
			const entries = list(scope);
			const result = { new: [], processed: [] };
			for (const item of items) {
				if (entries.includes(hash(item))) result.processed.push(item);
				else {
					result.new.push(item);
					entries.push(hash(item));
				}
			}
			if (options.maxEntries) entries.splice(0, Math.max(0, entries.length - options.maxEntries));
			return result;
		},
		async removeProcessed(items, scope, options) {
			log.push({ op: 'remove', items: [...items], scope, options });
			const entries = list(scope);
			for (const item of items) {
				const index = entries.indexOf(hash(item));
				if (index !== -1) entries.splice(index, 1);
			}
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

module.exports = { fakeDeduplication, fetchHttp };
