// The storage promise, the same for both example workflows: 200 only once the row is stored,
// exactly one row per message however often InstaMed delivers it, and a non-2xx answer (so
// InstaMed retries) while the storage step fails. A `store` adapter hides where rows live.
const { messages, edgeMessages, formats } = require('../../../tools/sample-messages');
const { sharedN8n, mark, send, waitForExecutions, MARKER_FIELD } = require('./e2e');

const TRIGGERS = Object.keys(messages);

/** 'paymentPlanCreated' -> 'Payment Plan Created' (the trigger names the README lists). */
function triggerName(key) {
	const words = key.replace(/([A-Z])/g, ' $1');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** '1234567.89' -> 123456789, from the decimal string (never through a float). */
function centsOf(amount) {
	if (amount === null || amount === undefined) return null;
	const [whole, fraction = ''] = amount.split('.');
	return Number(whole) * 100 + Number(`${fraction}00`.slice(0, 2));
}

function expectStoredRow(row, { trigger, format, fields }) {
	expect(row).toMatchObject({
		trigger: triggerName(trigger),
		transactionId: fields.PaymentTransactionID,
		originalTransactionId: fields.OriginalTransactionID ?? null,
		amountCents: centsOf(fields.Amount),
		format,
	});
	expect(row.eventKey).toMatch(/^[0-9a-f]{64}$/);
	expect(row.payload.PaymentTransactionID).toBe(fields.PaymentTransactionID);
	expect(row.payload[MARKER_FIELD]).toBe(fields[MARKER_FIELD]);
	expect(Number.isNaN(Date.parse(row.receivedAt))).toBe(false);
}

/**
 * Defines the storage tests for one variant. `store` has:
 *   label, scenario (stored into), faultScenario (stored into where the fault is injected),
 *   rowsMarked(rest, marker, { fault }), breakStorage(rest), repairStorage(rest),
 *   faultReason (what the refusal's reason says while storage is broken)
 */
function storageSuite(store) {
	const { e2e, rest } = sharedN8n();
	const headers = () => ({ authorization: e2e.basicAuthorization() });

	describe.each(TRIGGERS)(`${store.label}: %s`, (trigger) => {
		test.each(formats)('%s -> 200 and exactly the expected row', async (format) => {
			const fields = mark(messages[trigger], e2e.marker(`${store.label}-${trigger}-${format}`));
			const answer = await send(e2e.url(store.scenario), format, fields, headers());
			expect(answer.status).toBe(200);
			const rows = await store.rowsMarked(rest, fields[MARKER_FIELD]);
			expect(rows).toHaveLength(1);
			expectStoredRow(rows[0], { trigger, format, fields });
		});
	});

	test(`${store.label}: a message no rule recognises -> 200, stored as Unrecognized`, async () => {
		const fields = mark(edgeMessages.unrecognized, e2e.marker(`${store.label}-unrecognized`));
		const answer = await send(e2e.url(store.scenario), 'json', fields, headers());
		expect(answer.status).toBe(200);
		const rows = await store.rowsMarked(rest, fields[MARKER_FIELD]);
		expect(rows).toHaveLength(1);
		expectStoredRow(rows[0], { trigger: 'unrecognized', format: 'json', fields });
	});

	test(`${store.label}: the same message delivered three times -> 200 each, one row`, async () => {
		const workflowId = e2e.scenario(store.scenario).id;
		const fields = mark(messages.paymentRefunded, e2e.marker(`${store.label}-thrice`));
		const before = await rest.countExecutions(workflowId);
		for (let delivery = 0; delivery < 3; delivery++) {
			const answer = await send(e2e.url(store.scenario), 'xml', fields, headers());
			expect(answer.status).toBe(200);
		}
		expect(await waitForExecutions(rest, workflowId, before + 3)).toBe(before + 3);
		const rows = await store.rowsMarked(rest, fields[MARKER_FIELD]);
		expect(rows).toHaveLength(1);
		expectStoredRow(rows[0], { trigger: 'paymentRefunded', format: 'xml', fields });
	});

	describe(`${store.label}: the storage step fails`, () => {
		afterAll(async () => {
			await store.repairStorage(rest);
		});

		test("non-2xx and nothing stored; InstaMed's retry after the fault is cleared -> 200, stored once", async () => {
			const fields = mark(messages.paymentChargeback, e2e.marker(`${store.label}-fault`));
			const url = e2e.url(store.faultScenario);
			await store.breakStorage(rest);
			const refused = await send(url, 'json', fields, headers());
			// The example's Refuse step: 503 with the storage step's own error as the reason
			// phrase and the body, so InstaMed shows the merchant why.
			expect(refused.status).toBe(503);
			expect(refused.reason).toMatch(store.faultReason);
			expect(refused.text).toBe(refused.reason);
			await store.repairStorage(rest);
			expect(await store.rowsMarked(rest, fields[MARKER_FIELD], { fault: true })).toHaveLength(0);

			const retried = await send(url, 'json', fields, headers());
			expect(retried.status).toBe(200);
			const again = await send(url, 'json', fields, headers());
			expect(again.status).toBe(200);
			const rows = await store.rowsMarked(rest, fields[MARKER_FIELD], { fault: true });
			expect(rows).toHaveLength(1);
			expectStoredRow(rows[0], { trigger: 'paymentChargeback', format: 'json', fields });
		});
	});
}

module.exports = { storageSuite, triggerName, centsOf, TRIGGERS };
