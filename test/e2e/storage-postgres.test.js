// Example 2: InstaMed Trigger (Basic) -> Postgres `instamed_events` (INSERT ... ON CONFLICT DO
// NOTHING). The storage fault: a BEFORE INSERT trigger on the table raises, until it is dropped.
// Skipped, with the reason printed, when no Postgres answers (see PG* variables).
const { storageSuite } = require('./support/storage-suite');
const { shared } = require('./support/e2e');
const { eventRowsWhere, refuseWrites, allowWrites } = require('../harness/postgres');
const { MARKER_FIELD } = require('./support/e2e');

const { skipReason } = shared().state.postgres;

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
		rowsMarked: async (_rest, marker) => (await eventRowsWhere(MARKER_FIELD, marker)).map(normalise),
		breakStorage: () => refuseWrites(),
		repairStorage: () => allowWrites(),
	});
}
