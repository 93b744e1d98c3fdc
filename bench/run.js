#!/usr/bin/env node
// npm run bench [-- --quick] [-- --keep] [-- --legacy] [-- --budget <minutes>]
//
// One real n8n (the harness's pinned 2.40.7) with both workflows side by side (bench/workflows.js):
// A = InstaMed Trigger -> storage -> Confirm Stored, B = n8n's Webhook node -> the same storage.
// Interleaved windows (A, B, then B, A, ...) at concurrency 1, 10 and 50 on Postgres insert and on
// Data Table upsert; A also in XML and NVP and with successful executions not saved (the
// examples' setting); every 2xx checked against a stored row; the trigger's own cost per format
// against the bare parsers; 2000-message bursts at concurrency 50 and 200; the Data Table upsert
// at 10k and 100k rows; the time from the row's insert to InstaMed's 200. Prints one summary.
// Exits 1 when a 2xx has no stored row or a window answered nothing (--quick is CI's check that
// the bench still works); the performance targets are reported, not enforced.
//
// The full run ends by restarting the same n8n with N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP
// =false (B pays the same webhook-phase isolate as A) and comparing A and B once more at
// concurrency 10: what remains between them is the package's own cost (RESTART_PHASES below).
// --legacy: then the same with its deprecated in-process expression engine (N8N_EXPRESSION_ENGINE
// =legacy, no isolates).
//
// Needs Postgres (PGHOST... as the harness, user allowed to CREATE DATABASE): it creates and
// drops a database of its own. On a shared machine run it alone: flock /tmp/real-n8n.lock npm run bench
require('../scripts/bootstrap').ensureReady();
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { parseArgs } = require('node:util');
const { startN8n } = require('../harness/n8n');
const { ensureN8n } = require('../harness/install');
const { run } = require('../harness/process');
const { EVENTS_TABLE, webhookPath } = require('../harness/workflows');
const {
	postgresUnavailableReason,
	ensureEventsTable,
	postgresConfig,
	withClient,
	TABLE,
} = require('../harness/postgres');
const { N8N_VERSION, NODE_VERSION } = require('../harness/versions');
const {
	MessageSource,
	drive,
	latencyStats,
	statusCounts,
	refusalCounts,
	percentile,
} = require('./load');
const { cpuMs, cpuByThread, rssMb, expressionCounters } = require('./probes');
const { benchWorkflows, credentials } = require('./workflows');
const { formatNodeCost } = require('./node-cost');
const { formatSummary } = require('./summary');

const { values: args } = parseArgs({
	options: {
		quick: { type: 'boolean' },
		keep: { type: 'boolean' },
		legacy: { type: 'boolean' },
		budget: { type: 'string' },
	},
});

// The full plan fits about 15 minutes on 2 cores at ~10 msg/s; the bursts take most of it.
const PLAN = args.quick
	? {
			windowMs: 3000,
			rounds: { postgres: 1, dataTable: 1 },
			concurrency: { postgres: [1, 10], dataTable: [10] },
			bursts: [
				{ role: 'aPostgres', concurrency: 50, count: 100 },
				{ role: 'bPostgres', concurrency: 50, count: 100 },
			],
			tableSizes: [],
			warmup: 10,
			isolateRequests: 30,
			parityRounds: 0,
			legacyRounds: args.legacy ? 1 : 0,
		}
	: {
			windowMs: 4000,
			rounds: { postgres: 3, dataTable: 2 },
			concurrency: { postgres: [1, 10, 50], dataTable: [1, 10] },
			bursts: [
				{ role: 'aPostgres', concurrency: 50, count: 2000 },
				{ role: 'aPostgres', concurrency: 200, count: 2000 },
			],
			tableSizes: [10_000, 100_000],
			warmup: 20,
			isolateRequests: 50,
			parityRounds: 2,
			legacyRounds: args.legacy ? 2 : 0,
		};

// After the main run, the same n8n restarted with other expression-engine settings, A and B
// compared again at concurrency 10 on Postgres (labels as the summary reads them):
// - isolate parity: n8n 2.40 skips the webhook phase's isolate only for its own Webhook node
//   (`webhookPhaseNeedsIsolate` in n8n's `webhooks/live-webhooks.js`); with
//   N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false B acquires it too, so what is left
//   between A and B is what the package itself costs: the best ratio any trigger can reach;
// - legacy: n8n's deprecated in-process engine, no isolates at all.
const RESTART_PHASES = [
	{
		label: 'isolate parity',
		env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' },
		meaning: 'B acquires the webhook-phase isolate A always gets',
		rounds: PLAN.parityRounds,
	},
	{
		label: 'legacy engine',
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		meaning: 'no isolates',
		rounds: PLAN.legacyRounds,
	},
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (message) => process.stderr.write(`[bench] ${message}\n`);

async function createDatabase() {
	const admin = postgresConfig();
	const database = `instamed_bench_${randomBytes(4).toString('hex')}`;
	await withClient(admin, (client) => client.query(`CREATE DATABASE ${database}`));
	const config = { ...admin, database };
	await ensureEventsTable(config);
	// When the row was written, by the database's clock: the start of "insert to 200".
	await withClient(config, (client) =>
		client.query(
			`ALTER TABLE ${TABLE} ADD COLUMN inserted_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
		),
	);
	return {
		config,
		drop: () =>
			withClient(admin, (client) =>
				client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
			),
	};
}

class Bench {
	constructor({ n8n, workflows, basic, db }) {
		this.n8n = n8n;
		this.workflows = workflows;
		this.basic = basic;
		this.db = db;
		this.source = new MessageSource(`BENCH${randomBytes(3).toString('hex').toUpperCase()}`);
		this.windows = [];
		// Per storage, the ids answered 2xx (checked against stored rows) and when each 200 came.
		this.accepted = { postgres: new Map(), dataTable: new Map() };
	}

	url(role) {
		return this.n8n.webhookUrl(webhookPath(this.workflows[role]));
	}

	/** One measured window: throughput, latency, n8n CPU and expression work per answered message. */
	async window({ role, storage, format = 'json', concurrency, durationMs, count, label }) {
		const cpu0 = cpuMs(this.n8n.pid);
		const threads0 = cpuByThread(this.n8n.pid);
		const expr0 = await expressionCounters(this.n8n.baseUrl);
		const { answers, elapsedMs } = await drive({
			url: this.url(role),
			auth: this.basic,
			source: this.source,
			format,
			concurrency,
			durationMs,
			count,
		});
		// Runs finish (and executions are saved) after the answer in Confirm Stored's mode: give
		// n8n the time to finish what it answered before reading its CPU.
		await sleep(300);
		const cpu1 = cpuMs(this.n8n.pid);
		const threads1 = cpuByThread(this.n8n.pid);
		const expr1 = await expressionCounters(this.n8n.baseUrl);
		const ok = answers.filter((answer) => answer.status >= 200 && answer.status < 300);
		for (const answer of ok) this.accepted[storage].set(answer.id, answer.doneAt);
		const per = (value) => (ok.length ? value / ok.length : NaN);
		const result = {
			label: label ?? role,
			role,
			storage,
			format,
			concurrency,
			sent: answers.length,
			ok: ok.length,
			statuses: statusCounts(answers),
			msgPerS: (ok.length * 1000) / elapsedMs,
			...latencyStats(ok),
			cpuMsPerMsg: per(cpu1 - cpu0),
			threadCpuMsPerMsg: Object.fromEntries(
				Object.keys(threads1).map((name) => [name, per(threads1[name] - threads0[name])]),
			),
			evaluationsPerMsg: per(expr1.evaluations - expr0.evaluations),
			evaluationMsPerMsg: per((expr1.evaluationSeconds - expr0.evaluationSeconds) * 1000),
			isolatesPerMsg: per(expr1.isolates - expr0.isolates),
			answers,
		};
		this.windows.push(result);
		say(
			`${result.label.padEnd(22)} c=${String(concurrency).padEnd(3)} ${format.padEnd(4)} ${result.msgPerS.toFixed(1).padStart(6)} msg/s  p50 ${result.p50.toFixed(0)} ms  cpu ${result.cpuMsPerMsg.toFixed(1)} ms/msg  ${result.evaluationsPerMsg.toFixed(1)} expr, ${result.isolatesPerMsg.toFixed(2)} isolates/msg  ${JSON.stringify(result.statuses)}`,
		);
		return result;
	}

	async warmUp(roles) {
		for (const [role, storage, format] of roles) {
			await drive({
				url: this.url(role),
				auth: this.basic,
				source: this.source,
				format,
				concurrency: 2,
				count: PLAN.warmup,
			}).then(({ answers }) => {
				for (const answer of answers) {
					if (answer.status >= 200 && answer.status < 300) {
						this.accepted[storage].set(answer.id, answer.doneAt);
					}
				}
			});
		}
	}

	/** Windows of A and B (and extra A variants), alternating order each round. */
	async interleaved(storage, concurrency, variants, rounds = PLAN.rounds[storage]) {
		for (let round = 0; round < rounds; round++) {
			const order = round % 2 === 0 ? variants : [...variants].reverse();
			for (const variant of order) {
				await this.window({ ...variant, storage, concurrency, durationMs: PLAN.windowMs });
			}
		}
	}

	async burst(role, { concurrency, count }) {
		await sleep(2000);
		const rssBefore = rssMb(this.n8n.pid);
		const result = await this.window({
			role,
			storage: 'postgres',
			concurrency,
			count,
			label: `burst ${role}`,
		});
		await sleep(2000);
		const over20s = result.answers.filter((answer) => answer.latencyMs > 20_000).length;
		const rows = await this.storedPostgresIds(result.answers.map((answer) => answer.id));
		return {
			role,
			concurrency,
			count,
			...latencyStats(result.answers),
			over20s,
			non2xx: result.sent - result.ok,
			statuses: result.statuses,
			refusals: refusalCounts(result.answers),
			rowsStored: rows.size,
			rssBeforeMb: rssBefore,
			rssAfterMb: rssMb(this.n8n.pid),
		};
	}

	async storedPostgresIds(ids) {
		return await withClient(this.db.config, async (client) => {
			const { rows } = await client.query(
				`SELECT transaction_id, extract(epoch FROM inserted_at) * 1000 AS inserted FROM ${TABLE} WHERE transaction_id = ANY($1)`,
				[ids],
			);
			return new Map(rows.map((row) => [row.transaction_id, Number(row.inserted)]));
		});
	}

	async storedTableIds() {
		const rows = await this.n8n.rest.dataTableRows(EVENTS_TABLE.name);
		return new Set(rows.map((row) => row.transactionId));
	}

	/** Every 2xx must have its row; for Postgres also the time from the insert to the answer. */
	async checkStored() {
		const pgIds = [...this.accepted.postgres.keys()];
		const pgRows = await this.storedPostgresIds(pgIds);
		const tableIds = await this.storedTableIds();
		const missing = {
			postgres: pgIds.filter((id) => !pgRows.has(id)),
			dataTable: [...this.accepted.dataTable.keys()].filter((id) => !tableIds.has(id)),
		};
		return {
			checked: { postgres: pgIds.length, dataTable: this.accepted.dataTable.size },
			missing: { postgres: missing.postgres.length, dataTable: missing.dataTable.length },
			pgRows,
		};
	}

	/** Insert to answer for Postgres windows of a role at a concurrency (ms, from the same clock). */
	insertToAnswer(pgRows, role, concurrency) {
		const gaps = [];
		for (const window of this.windows) {
			if (
				window.role !== role ||
				window.concurrency !== concurrency ||
				window.storage !== 'postgres'
			)
				continue;
			if (window.label.startsWith('burst')) continue;
			for (const answer of window.answers) {
				const inserted = pgRows.get(answer.id);
				if (inserted !== undefined && answer.status === 200) gaps.push(answer.doneAt - inserted);
			}
		}
		gaps.sort((a, b) => a - b);
		return { count: gaps.length, p50: percentile(gaps, 50), p99: percentile(gaps, 99) };
	}

	/** Bytes n8n saved for the latest execution of a workflow (its run data as stored). */
	async savedBytes(role) {
		const [latest] = await this.n8n.rest.executions(this.workflows[role].id);
		if (!latest) return null;
		return (await this.n8n.rest.executionData(latest.id)).length;
	}

	async executionCount(role) {
		return await this.n8n.rest.countExecutions(this.workflows[role].id);
	}

	/** Fills the data table with rows like the example's until it holds `size` rows. */
	async fillTable(size) {
		const table = await this.n8n.rest.findDataTable(EVENTS_TABLE.name);
		const route = this.n8n.rest.dataTablesRoute(`/${table.id}/insert`);
		let { count } = await this.n8n.rest.request(
			'GET',
			this.n8n.rest.dataTablesRoute(`/${table.id}/rows?take=1`),
		);
		const payload = JSON.stringify({ Amount: '50.00', PatientLastName: 'Filler' });
		while (count < size) {
			const batch = Math.min(5000, size - count);
			const data = Array.from({ length: batch }, (_, i) => ({
				eventKey: `fill-${count + i}-${randomBytes(8).toString('hex')}`,
				trigger: 'Payment Approved',
				transactionId: `FILL${count + i}`,
				originalTransactionId: null,
				amountCents: 5000,
				format: 'json',
				payload,
				receivedAt: new Date().toISOString(),
			}));
			await this.n8n.rest.request('POST', route, { data, returnType: 'count' });
			count += batch;
		}
		return count;
	}

	/** A's Data Table upsert at a table size: c=1 latency and rate. */
	async tableVolume(size) {
		const rows = await this.fillTable(size);
		const window = await this.window({
			role: 'aDataTable',
			storage: 'dataTable',
			concurrency: 1,
			durationMs: Math.max(PLAN.windowMs, 8000),
			label: `A data table ${Math.round(rows / 1000)}k rows`,
		});
		return {
			rows,
			msgPerS: window.msgPerS,
			p50: window.p50,
			p99: window.p99,
			cpuMsPerMsg: window.cpuMsPerMsg,
		};
	}
}

async function main() {
	const began = Date.now();
	const noPostgres = await postgresUnavailableReason();
	if (noPostgres) throw new Error(`The bench stores into Postgres, but ${noPostgres}`);
	say(
		`mode: ${args.quick ? 'quick' : 'full'}; n8n ${N8N_VERSION} on Node ${NODE_VERSION}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
	);
	const runtime = await ensureN8n();
	// On the Node n8n runs (its V8 parses JSON faster than an older one), not the bench's own.
	say(`the trigger's own cost per format (no n8n, Node ${NODE_VERSION})`);
	const costArgs = [path.join(__dirname, 'node-cost.js'), '--json'];
	const cost = JSON.parse(
		(await run(runtime.nodeBin, args.quick ? [...costArgs, '--quick'] : costArgs)).stdout,
	);
	say(`\n${formatNodeCost(cost)}`);

	say("n8n's expression isolate per webhook request (n8n's own runtime, no server)");
	const isolate = JSON.parse(
		(
			await run(runtime.nodeBin, [
				path.join(__dirname, 'isolate-cost.js'),
				runtime.n8nDir,
				String(PLAN.isolateRequests),
			])
		).stdout,
	);
	say(JSON.stringify(isolate));

	const db = await createDatabase();
	const basic = { user: 'instamed-bench', password: randomBytes(12).toString('base64url') };
	const workflows = benchWorkflows();
	let n8n;
	const report = {
		mode: args.quick ? 'quick' : 'full',
		n8n: N8N_VERSION,
		node: NODE_VERSION,
		cores: os.cpus().length,
		plan: PLAN,
		nodeCost: cost,
		isolate,
		restartPhases: RESTART_PHASES.filter((phase) => phase.rounds),
	};
	try {
		const baseEnv = {
			N8N_METRICS: 'true',
			N8N_DATA_TABLES_MAX_SIZE_BYTES: String(4 * 1024 ** 3),
		};
		n8n = await startN8n({
			workflows: Object.values(workflows),
			credentials: credentials({ basic, postgres: db.config }),
			dataTables: [EVENTS_TABLE],
			env: baseEnv,
		});
		// n8n's whole environment as the harness made it (port, user folder, ...): each restart
		// phase adds its settings to this, never replaces it.
		const startEnv = n8n.options.env;
		const bench = new Bench({ n8n, workflows, basic, db });
		say('warming up');
		await bench.warmUp([
			['aPostgres', 'postgres', 'json'],
			['aPostgres', 'postgres', 'xml'],
			['aPostgres', 'postgres', 'nvp'],
			['aPostgresNoSave', 'postgres', 'json'],
			['aPostgresLastNode', 'postgres', 'json'],
			['bPostgres', 'postgres', 'json'],
			['aDataTable', 'dataTable', 'json'],
			['bDataTable', 'dataTable', 'json'],
		]);
		report.rssStartMb = rssMb(n8n.pid);

		say('Postgres insert, A and B interleaved');
		for (const concurrency of PLAN.concurrency.postgres) {
			const variants = [
				{ role: 'aPostgres', label: 'A postgres' },
				{ role: 'bPostgres', label: 'B postgres' },
			];
			if (concurrency === 10) {
				variants.push(
					{ role: 'aPostgres', format: 'xml', label: 'A postgres xml' },
					{ role: 'aPostgres', format: 'nvp', label: 'A postgres nvp' },
					{ role: 'aPostgresNoSave', label: 'A postgres not saved' },
					{ role: 'aPostgresLastNode', label: 'A postgres last node' },
				);
			}
			await bench.interleaved('postgres', concurrency, variants);
		}
		report.savedBytes = {
			a: await bench.savedBytes('aPostgres'),
			b: await bench.savedBytes('bPostgres'),
			aNoSaveExecutions: await bench.executionCount('aPostgresNoSave'),
		};

		say('Data Table upsert, A and B interleaved');
		for (const concurrency of PLAN.concurrency.dataTable) {
			await bench.interleaved('dataTable', concurrency, [
				{ role: 'aDataTable', label: 'A data table' },
				{ role: 'bDataTable', label: 'B data table' },
			]);
		}

		// The bursts and the table volumes come last, in the order of their weight: with --budget
		// the run skips what would start after that many minutes, and says so.
		const stored = await bench.checkStored();
		report.stored = { checked: stored.checked, missing: stored.missing };
		report.insertToAnswer = {
			a1: bench.insertToAnswer(stored.pgRows, 'aPostgres', 1),
			a10: bench.insertToAnswer(stored.pgRows, 'aPostgres', 10),
			b1: bench.insertToAnswer(stored.pgRows, 'bPostgres', 1),
			b10: bench.insertToAnswer(stored.pgRows, 'bPostgres', 10),
		};
		const budgetLeft = (what) => {
			const minutes = (Date.now() - began) / 60_000;
			if (!args.budget || minutes < Number(args.budget)) return true;
			report.skipped.push(what);
			say(`skipped after ${minutes.toFixed(1)} min (--budget ${args.budget}): ${what}`);
			return false;
		};
		report.skipped = [];

		say('bursts (Postgres)');
		report.bursts = [];
		const [firstBurst, ...laterBursts] = PLAN.bursts;
		const runBurst = async ({ role, ...burst }) => {
			if (budgetLeft(`burst ${role} c=${burst.concurrency}`)) {
				report.bursts.push(await bench.burst(role, burst));
			}
		};
		if (firstBurst) await runBurst(firstBurst);

		report.tableVolume = [];
		for (const size of PLAN.tableSizes) {
			if (!budgetLeft(`Data Table upsert at ${size} rows`)) continue;
			say(`Data Table upsert with ${size} rows`);
			report.tableVolume.push(await bench.tableVolume(size));
		}
		for (const burst of laterBursts) await runBurst(burst);
		report.rssEndMb = rssMb(n8n.pid);

		for (const phase of report.restartPhases) {
			say(`restarting n8n with ${JSON.stringify(phase.env)}`);
			n8n.options.env = { ...startEnv, ...phase.env };
			n8n = await n8n.restart();
			bench.n8n = n8n;
			const roles = {
				aPostgres: 'A postgres',
				aPostgresLastNode: 'A postgres last node',
				bPostgres: 'B postgres',
			};
			await bench.warmUp(Object.keys(roles).map((role) => [role, 'postgres', 'json']));
			const variants = Object.entries(roles).map(([role, label]) => ({
				role,
				label: `${label} ${phase.label}`,
			}));
			await bench.interleaved('postgres', 10, variants, phase.rounds);
		}
		report.windows = bench.windows.map(({ answers, ...window }) => window);
	} finally {
		if (n8n) await n8n.stop({ removeUserFolder: !args.keep });
		if (!args.keep) await db.drop();
	}
	report.minutes = (Date.now() - began) / 60_000;
	const file = path.join(os.tmpdir(), `instamed-bench-${report.mode}-${Date.now()}.json`);
	fs.writeFileSync(file, JSON.stringify(report, null, 2));
	console.log(formatSummary(report));
	console.log(`\nfull figures: ${file}`);

	const failures = [];
	if (report.stored.missing.postgres || report.stored.missing.dataTable) {
		failures.push(`2xx without a stored row: ${JSON.stringify(report.stored.missing)}`);
	}
	for (const window of report.windows) {
		if (window.ok === 0) failures.push(`${window.label} c=${window.concurrency}: no 2xx at all`);
	}
	if (failures.length) {
		console.log(`\nFAILED:\n  ${failures.join('\n  ')}`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
