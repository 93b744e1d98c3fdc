// Example 2: InstaMed Trigger (Basic) -> Postgres `instamed_events` (INSERT ... ON CONFLICT DO
// NOTHING). The storage fault: a BEFORE INSERT trigger on the table raises, until it is dropped.
// Skipped, with the reason printed, when no Postgres answers (see PG* variables).

const { messages } = require('../../tools/sample-messages');
const { storageSuite } = require('./support/storage-suite');
const { sharedN8n, mark, send, waitForExecutions, MARKER_FIELD } = require('./support/e2e');
const { CREDENTIALS } = require('../../harness/credentials');
const {
	eventRowsWhere,
	refuseWrites,
	allowWrites,
	postgresConfig,
	postgresCredential,
} = require('../../harness/postgres');

const { skipReason } = sharedN8n().e2e.state.postgres;

function normalise(row) {
	return {
		eventKey: row.event_key,
		trigger: row.trigger,
		transactionId: row.transaction_id,
		originalTransactionId: row.original_transaction_id,
		amountCents: row.amount_cents === null ? null : Number(row.amount_cents),
		format: row.format,
		payload: row.payload,
		receivedAt: row.received_at.toISOString(),
	};
}

if (skipReason) {
	console.log(`SKIPPED the Postgres end-to-end tests: ${skipReason}`);
	test.skip(`Postgres variant (skipped: ${skipReason})`, () => {});
} else {
	storageSuite({
		label: 'postgres',
		scenario: 'postgres',
		faultScenario: 'postgres',
		rowsMarked: async (_rest, marker) =>
			(await eventRowsWhere(MARKER_FIELD, marker)).map(normalise),
		breakStorage: () => refuseWrites(),
		faultReason: /^writes to instamed_events are refused \(test fault\)$/,
		repairStorage: () => allowWrites(),
	});

	test('postgres: the database is unreachable -> non-2xx fast, nothing stored; reachable again -> retry 200, stored once', async () => {
		const { e2e, rest } = sharedN8n();
		const url = e2e.url('postgresUnreachable');
		const headers = { authorization: e2e.basicAuthorization() };
		const fields = mark(messages.paymentReturned, e2e.marker('postgres-unreachable'));
		const started = Date.now();
		const refused = await send(url, 'nvp', fields, headers);
		expect(refused.status).toBeGreaterThanOrEqual(300);
		// InstaMed gives up on a post after 20 s: the failure must be answered well before.
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(await eventRowsWhere(MARKER_FIELD, fields[MARKER_FIELD])).toHaveLength(0);

		const reachable = postgresCredential(CREDENTIALS.postgresDown, postgresConfig());
		await rest.updateCredential(reachable.id, reachable);
		const workflowId = e2e.scenario('postgresUnreachable').id;
		const before = await rest.countExecutions(workflowId);
		for (let delivery = 0; delivery < 2; delivery++) {
			expect((await send(url, 'nvp', fields, headers)).status).toBe(200);
		}
		expect(await waitForExecutions(rest, workflowId, before + 2)).toBe(before + 2);
		const rows = await eventRowsWhere(MARKER_FIELD, fields[MARKER_FIELD]);
		expect(rows.map(normalise)).toMatchObject([
			{ trigger: 'Payment Returned', transactionId: fields.PaymentTransactionID, format: 'nvp' },
		]);
	});
}
