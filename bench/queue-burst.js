#!/usr/bin/env node
// `npm run bench:queue`: the same burst of distinct InstaMed notifications through one n8n
// (regular mode) and through n8n's queue mode (1 webhook process, 2 workers), each storing with
// the shipped Postgres example (InstaMed Trigger -> INSERT -> Confirm Stored) into a database of
// its own. Per mode and concurrency: stored messages per second, answer time p50 / p99 / max,
// answers over InstaMed's 20 s wait, answers other than 200, and every 200 checked against a row.
//
//   npm run bench:queue [-- --messages 2000] [-- --concurrency 50,200] [-- --modes regular,queue]
//
// A benchmark, not a test: it prints figures and fails only when a 200 has no row. On a 2-core
// machine the point is the shape and that nothing is lost, not the absolute numbers.
require('../scripts/bootstrap').ensureReady();
const os = require('node:os');
const { parseArgs } = require('node:util');
const { randomBytes } = require('node:crypto');
const instance = require('../harness/campaign-n8n');
const { startOAuthIssuer } = require('../harness/oauth-issuer');
const { buildAndPack, removePackDir } = require('../harness/package');
const { basicAuthorization, distinctMessages, httpPost } = require('../tools/instamed-delivery');
const { N8N_VERSION } = require('../harness/versions');
const { percentile } = require('./load');

const INSTAMED_WAIT_MS = 20_000;
const CLIENT_TIMEOUT_MS = 120_000;
const QUEUE = { webhooks: 1, workers: 2 };

const log = (message) => process.stderr.write(`[queue burst] ${message}\n`);

function options() {
	const { values } = parseArgs({
		args: process.argv.slice(2),
		options: {
			messages: { type: 'string', default: '2000' },
			concurrency: { type: 'string', default: '50,200' },
			modes: { type: 'string', default: 'regular,queue' },
		},
	});
	return {
		messages: Number(values.messages),
		concurrencies: values.concurrency.split(',').map(Number),
		modes: values.modes.split(','),
	};
}

function countBy(items, key) {
	const counts = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}

/** Posts every message once, at most `concurrency` at a time; one record per message. */
async function burst(url, authorization, messages, concurrency) {
	const results = [];
	let next = 0;
	const worker = async () => {
		while (next < messages.length) {
			const message = messages[next++];
			const answer = await httpPost({
				url,
				body: message.body,
				contentType: message.contentType,
				headers: { authorization },
				timeoutMs: CLIENT_TIMEOUT_MS,
			});
			results.push({
				id: message.id,
				status: answer.status ?? answer.error ?? 'timeout',
				// The answer's own text says who refused (the trigger's reason, or n8n's own message).
				reason: answer.status
					? `${answer.status} ${answer.text.slice(0, 120) || answer.reason}`
					: (answer.error ?? 'timeout'),
				ms: answer.ms,
			});
		}
	};
	const started = Date.now();
	await Promise.all(Array.from({ length: concurrency }, worker));
	return { results, seconds: (Date.now() - started) / 1000 };
}

async function measureMode(mode, settings, tarball) {
	const db = await instance.createDatabase();
	const basic = { username: 'instamed-bench', password: randomBytes(12).toString('base64url') };
	// The campaign's workflows (their OAuth2 copies need an issuer, unused here); the example
	// reaches Postgres directly (no fault proxy): proxyPort is Postgres's own.
	const issuer = await startOAuthIssuer({ audience: 'https://n8n.example.test/instamed' });
	const n8n = await instance.startInstance({
		basic,
		issuer,
		database: db.database,
		proxyPort: db.config.port,
		tarball,
		respond: 'whenConfirmed',
		queue: mode === 'queue' ? QUEUE : undefined,
	});
	const rows = [];
	try {
		const url = instance.scenarioUrl(n8n, 'store');
		const authorization = basicAuthorization(basic.username, basic.password);
		// Warm-up: the first executions compile and connect.
		await burst(url, authorization, distinctMessages({ count: 20, runId: `warm${mode}` }), 4);
		for (const concurrency of settings.concurrencies) {
			const runId = `${mode.slice(0, 1)}${concurrency}${randomBytes(2).toString('hex')}`;
			const messages = distinctMessages({ count: settings.messages, runId });
			log(`${mode}: ${messages.length} messages at concurrency ${concurrency}`);
			const { results, seconds } = await burst(url, authorization, messages, concurrency);
			const { perMessage } = await instance.storedCounts(db.config);
			const stored = new Set(perMessage.map((row) => row.message_id));
			const ms = results.map((result) => result.ms).sort((a, b) => a - b);
			const ok = results.filter((result) => result.status === 200);
			rows.push({
				mode,
				concurrency,
				sent: results.length,
				stored: messages.filter((message) => stored.has(message.id)).length,
				okWithoutRow: ok.filter((result) => !stored.has(result.id)).length,
				notOk: results.length - ok.length,
				storedPerSecond: messages.filter((message) => stored.has(message.id)).length / seconds,
				p50: percentile(ms, 50),
				p99: percentile(ms, 99),
				max: ms[ms.length - 1],
				over20s: ms.filter((value) => value > INSTAMED_WAIT_MS).length,
				notOkByReason: countBy(
					results.filter((result) => result.status !== 200),
					(result) => result.reason,
				),
			});
		}
	} finally {
		await n8n.stop({ removeUserFolder: true });
		await issuer.close();
		await db.drop();
	}
	return rows;
}

function print(rows, settings) {
	const seconds = (ms) => (ms / 1000).toFixed(1);
	const lines = [
		'',
		`InstaMed burst, regular mode vs queue mode (${QUEUE.webhooks} webhook process, ${QUEUE.workers} workers): n8n ${N8N_VERSION}, ${os.cpus().length} cores, ${settings.messages} distinct messages per burst, Postgres example, answer when Confirm Stored runs`,
		'| mode | concurrency | stored/s | p50 s | p99 s | max s | over 20 s | not 200 | stored | 200 without a row |',
		'|---|---|---|---|---|---|---|---|---|---|',
		...rows.map(
			(row) =>
				`| ${row.mode} | ${row.concurrency} | ${row.storedPerSecond.toFixed(1)} | ${seconds(row.p50)} | ${seconds(row.p99)} | ${seconds(row.max)} | ${row.over20s} | ${row.notOk} | ${row.stored}/${row.sent} | ${row.okWithoutRow} |`,
		),
	];
	for (const row of rows.filter((each) => each.notOk > 0)) {
		lines.push(`not 200 (${row.mode}, ${row.concurrency}): ${JSON.stringify(row.notOkByReason)}`);
	}
	console.log(lines.join('\n'));
}

async function main() {
	const settings = options();
	const tarball = await buildAndPack();
	const rows = [];
	try {
		for (const mode of settings.modes) rows.push(...(await measureMode(mode, settings, tarball)));
	} finally {
		removePackDir(tarball);
	}
	print(rows, settings);
	process.exit(rows.every((row) => row.okWithoutRow === 0) ? 0 : 1);
}

main().catch((error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
