// Queue mode: the same refund requested at the same moment from two executions on two workers
// sends at most one refund to the InstaMed Connect emulator.
//
// A cluster of its own (the shared one has no Connect credential): one webhook process and two
// workers that each run one execution at a time (N8N_CONCURRENCY_PRODUCTION_LIMIT=1), so two
// notifications posted together run on both workers at once. Each notification is delivered twice
// (InstaMed re-sends one whose first answer was late), 0 to 100 ms apart; the workflow refunds
// straight from the trigger with Refuse Repeats on. The refund is partial, so the emulator itself
// would accept the repeat: only the node's guard stands between the two executions and a second
// payment. Which worker ran each execution is read from the workers' logs.
//
// The workflow starts with a long refund history, as after months of use (nearly GUARD_HISTORY_SIZE
// keys, written into n8n's processed_data table): every read-and-write of the list then parses and
// rewrites it, the widest window for two executions to both read "not sent". Measured here with
// the lock taken out (n8n's record alone): 2 of 75 pairs 0-100 ms apart paid twice (at 0 and 5 ms;
// 1 of 53 without the history, 1 of 22 with it), so this test catches a missing lock only now and
// then; test/unit/instamed-guard.test.js replays the interleaving deterministically.
//
// Issue 20 item 13: workflows where another step writes the same workflow-scope list (a second
// guarded refund step, Remove Duplicates recording or clearing the workflow scope) get the same
// two deliveries; measured before the guard refused them (30 pairs each): a second refund sent
// in 1 (two steps), 15 (Remove Duplicates recording) and 30 (clearing) of 30. Now the refund step
// refuses to run there: nothing is sent, both deliveries are answered 500.
//
// Trials: INSTAMED_RACE_TRIALS pairs per scenario (default 6: CI keeps the queue project short;
// run with 30 by hand for figures).
const fs = require('node:fs');
const { createHash, randomBytes } = require('node:crypto');
const { messages, serialise } = require('../../tools/sample-messages');
const { createConnectEmulator, EMULATOR_DEFAULTS } = require('../../tools/connect-emulator');
const { startN8n } = require('../../harness/n8n');
const { withClient } = require('../../harness/postgres');
const { GUARD_HISTORY_SIZE } = require('../../nodes/InstaMed/actions/transaction/repeatGuard.ts');
const { EVENTS_TABLE, webhookPath } = require('../../harness/workflows');
const { httpPost } = require('../../tools/instamed-delivery');
const { finishedExecutionStatuses, sleep } = require('../e2e/support/e2e');
const {
	actionWorkflows,
	connectCredentials,
	guardConflictWorkflows,
	REFUND_AMOUNT_FIELD,
} = require('../e2e/action-workflows');

const START_TIMEOUT_MS = 300_000;
jest.setTimeout(240_000);

const TRIALS = Math.max(3, Number(process.env.INSTAMED_RACE_TRIALS) || 6);
// Milliseconds between the two deliveries of one notification: 0, 2, 4, ... then 50 (or just past
// the last when that is beyond it) and 100.
const STEPS_MS = Array.from({ length: TRIALS - 2 }, (_, i) => i * 2);
const OFFSETS_MS = [...STEPS_MS, Math.max(50, STEPS_MS.at(-1) + 2), 100];

const emulator = createConnectEmulator();
const { refund: workflow } = actionWorkflows();
const conflicts = guardConflictWorkflows();
let cluster;

beforeAll(async () => {
	const baseUrl = await emulator.start();
	cluster = await startN8n({
		queue: { webhooks: 1, workers: 2 },
		workflows: [workflow, ...Object.values(conflicts)],
		credentials: connectCredentials({ workflow, ...conflicts }, { ...EMULATOR_DEFAULTS, baseUrl }),
		dataTables: [EVENTS_TABLE],
		env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '1' },
	});
	await writeRefundHistory(GUARD_HISTORY_SIZE - 50);
}, START_TIMEOUT_MS);

/** The workflow-scope list of n8n's deduplication table, as the guard leaves it: md5s, base64. */
async function writeRefundHistory(count) {
	const data = Array.from({ length: count }, () =>
		createHash('md5').update(randomBytes(16)).digest('base64'),
	);
	await withClient({ ...cluster.postgresConfig, database: cluster.database }, (client) =>
		client.query(`INSERT INTO processed_data ("workflowId", context, value) VALUES ($1, '', $2)`, [
			workflow.id,
			JSON.stringify({ mode: 'entries', data }),
		]),
	);
}

afterAll(async () => {
	await cluster?.stop({ removeUserFolder: process.env.INSTAMED_E2E_KEEP !== '1' });
	await emulator.stop();
}, 60_000);

/** Execution id -> the worker (1 or 2) whose log says it started it. */
function workerOfExecutions() {
	const owner = new Map();
	cluster.workers.forEach((worker, index) => {
		const log = fs.readFileSync(worker.logFile, 'utf8');
		for (const match of log.matchAll(/Worker started execution (\d+)/g)) {
			owner.set(match[1], index + 1);
		}
	});
	return owner;
}

async function deliverTwice(offsetMs, target = workflow) {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const fields = {
		...messages.paymentApproved,
		PaymentTransactionID: sale.id,
		Amount: '50.00',
		[REFUND_AMOUNT_FIELD]: '20.00',
	};
	const { body, contentType } = serialise('json', fields);
	const url = cluster.webhookUrl(webhookPath(target));
	const post = () => httpPost({ url, body, contentType, timeoutMs: 60_000 });
	const answers = await Promise.all([post(), sleep(offsetMs).then(post)]);
	const refunds = emulator.calls.filter(
		(call) => call.transactionId === sale.id && call.action === 'refund',
	);
	return { sale, statuses: answers.map((answer) => answer.status), refunds };
}

test('two deliveries of one refund, 0 to 100 ms apart, on two workers: one refund sent each time', async () => {
	const trials = [];
	for (const offsetMs of OFFSETS_MS) {
		const before = await cluster.rest.countExecutions(workflow.id);
		const trial = await deliverTwice(offsetMs);
		await finishedExecutionStatuses(cluster.rest, workflow.id, before, 2, 30_000);
		const [newest, previous] = await cluster.rest.executions(workflow.id);
		const workers = workerOfExecutions();
		trials.push({
			offsetMs,
			...trial,
			workers: [workers.get(String(previous.id)), workers.get(String(newest.id))],
		});
	}
	const onTwoWorkers = trials.filter((trial) => trial.workers[0] !== trial.workers[1]);
	process.stderr.write(
		`[queue refund race] ${trials.length} pairs, ${onTwoWorkers.length} run on two workers at once; refunds sent per pair: ${trials.map((trial) => `${trial.offsetMs} ms: ${trial.refunds.length}`).join(', ')}\n`,
	);
	// The race is real only when both executions ran side by side on the two workers.
	expect(onTwoWorkers.length).toBeGreaterThanOrEqual(OFFSETS_MS.length / 2);
	for (const trial of trials) {
		expect({ offsetMs: trial.offsetMs, refunds: trial.refunds.length }).toEqual({
			offsetMs: trial.offsetMs,
			refunds: 1,
		});
		// One delivery refunded (200); the other was refused as a repeat, so its run failed (500).
		expect([...trial.statuses].sort()).toEqual([200, 500]);
		expect(emulator.transaction(trial.sale.id).refundedCents).toBe(2000);
	}
});

describe.each(Object.keys(conflicts))(
	'%s: another step writes the refund list, so the refund step refuses to run',
	(scenario) => {
		test('two deliveries 0 to 100 ms apart: nothing refunded, both answered 500', async () => {
			const target = conflicts[scenario];
			const trials = [];
			for (const offsetMs of OFFSETS_MS) {
				const before = await cluster.rest.countExecutions(target.id);
				const trial = await deliverTwice(offsetMs, target);
				const statuses = await finishedExecutionStatuses(
					cluster.rest,
					target.id,
					before,
					2,
					30_000,
				);
				const runs = (await cluster.rest.executions(target.id)).slice(0, 2);
				const refusals = await Promise.all(
					runs.map(async (run) =>
						(await cluster.rest.executionData(run.id)).includes(
							'Refuse Repeats cannot be kept here',
						),
					),
				);
				trials.push({ offsetMs, ...trial, runs: statuses, refusals });
			}
			process.stderr.write(
				`[queue refund race, ${scenario}] ${trials.length} pairs; refunds sent per pair: ${trials.map((trial) => `${trial.offsetMs} ms: ${trial.refunds.length}`).join(', ')}\n`,
			);
			for (const trial of trials) {
				expect({ offsetMs: trial.offsetMs, refunds: trial.refunds.length }).toEqual({
					offsetMs: trial.offsetMs,
					refunds: 0,
				});
				expect(trial.statuses).toEqual([500, 500]);
				expect(trial.runs).toEqual(['error', 'error']);
				// Failed for that reason (the guard's refusal), not another.
				expect(trial.refusals).toEqual([true, true]);
				expect(emulator.transaction(trial.sale.id).refundedCents).toBe(0);
			}
		});
	},
);
