// One eventKey per event, in a real n8n storing with the shipped examples (Data Table upsert on
// eventKey; Postgres ON CONFLICT DO NOTHING when a Postgres answers): the same notification in
// JSON with nulls, XML and NVP without those fields, NVP in lower case, and re-delivered while
// its WorkflowStatus says "pending posting retry" is one row; a new status of the same
// transaction is a second row.

const { messages, serialise } = require('../../tools/sample-messages');
const {
	sharedN8n,
	mark,
	sendRaw,
	waitForExecutions,
	tableRowsMarked,
	MARKER_FIELD,
} = require('./support/e2e');
const { eventRowsWhere } = require('../../harness/postgres');

const { e2e, rest } = sharedN8n();
const TABLE = e2e.state.tables.events.name;

const withoutNulls = (fields) =>
	Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));

/** The deliveries of one approved sale that must all count as one event. */
function deliveriesOfOneEvent(sale) {
	const retrying = { ...sale, WorkflowStatus: 'Pending Posting Retry' };
	return [
		['JSON with nulls', serialise('json', sale)],
		['XML without the null fields', serialise('xml', withoutNulls(sale))],
		['NVP without the null fields', serialise('nvp', withoutNulls(sale))],
		['NVP, lower-case names', serialise('nvp', sale, { lowerCaseNames: true })],
		['JSON re-delivered while pending posting retry', serialise('json', retrying)],
		[
			'XML re-delivered with a posting error status',
			serialise('xml', { ...sale, WorkflowStatus: 'Posting Error' }),
		],
	];
}

const stores = [
	{
		label: 'Data Table (upsert on eventKey)',
		scenario: 'table',
		rows: async (marker) => await tableRowsMarked(rest, TABLE, marker),
	},
	...(e2e.state.postgres.skipReason
		? []
		: [
				{
					label: 'Postgres (ON CONFLICT (event_key) DO NOTHING)',
					scenario: 'postgres',
					rows: async (marker) =>
						(await eventRowsWhere(MARKER_FIELD, marker)).map((row) => ({
							eventKey: row.event_key,
						})),
				},
			]),
];

describe.each(stores.map((store) => [store.label, store]))('%s', (_label, store) => {
	const url = () => e2e.url(store.scenario);
	const auth = () => ({ authorization: e2e.basicAuthorization() });

	test('one sale in every encoding and null style, re-delivered with changed delivery state -> one eventKey, one row; then voided -> a second row', async () => {
		const marker = e2e.marker(`event-key-${store.scenario}`);
		const sale = mark(messages.paymentApproved, marker);
		const workflowId = e2e.scenario(store.scenario).id;
		const before = await rest.countExecutions(workflowId);

		const deliveries = deliveriesOfOneEvent(sale);
		for (const [name, { body, contentType }] of deliveries) {
			const answer = await sendRaw(url(), body, contentType, auth());
			expect({ name, status: answer.status }).toEqual({ name, status: 200 });
		}
		expect(await waitForExecutions(rest, workflowId, before + deliveries.length)).toBe(
			before + deliveries.length,
		);
		const rows = await store.rows(marker);
		expect(rows).toHaveLength(1);
		const [{ eventKey }] = rows;
		expect(eventKey).toMatch(/^[0-9a-f]{64}$/);

		// A void keeps the sale's id; its new status is a new event.
		const voided = mark(messages.paymentVoided, marker);
		expect(voided.PaymentTransactionID).toBe(sale.PaymentTransactionID);
		const { body, contentType } = serialise('json', voided);
		expect((await sendRaw(url(), body, contentType, auth())).status).toBe(200);
		expect(await waitForExecutions(rest, workflowId, before + deliveries.length + 1)).toBe(
			before + deliveries.length + 1,
		);
		const after = await store.rows(marker);
		expect(after).toHaveLength(2);
		expect(new Set(after.map((row) => row.eventKey)).size).toBe(2);
		expect(after.map((row) => row.eventKey)).toContain(eventKey);
	});
});
