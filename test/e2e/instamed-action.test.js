// The InstaMed action node inside a real n8n of its own (not the shared one: its workflows need
// the emulator's URL in their credential, known only once the emulator listens): InstaMed posts
// Payment Approved to the trigger's production URL, the InstaMed node voids or refunds the sale at
// the InstaMed Connect emulator over real HTTP, and the tests read the emulator's ledger and calls.
// The scenario workflows answer when the last node finishes, so a failing InstaMed node makes
// n8n answer the webhook 500; the shipped example stores, confirms, then refunds, so a declined
// refund no longer fails the notification.
const { messages, serialise } = require('../../tools/sample-messages');
const { createConnectEmulator, EMULATOR_DEFAULTS } = require('../../tools/connect-emulator');
const { buildAndPack, removePackDir } = require('../../harness/package');
const { startN8n } = require('../../harness/n8n');
const { EVENTS_TABLE, webhookPath } = require('../../harness/workflows');
const { httpPost } = require('../../tools/instamed-delivery');
const { finishedExecutionStatuses } = require('./support/e2e');
const {
	ERROR_COLUMN_TABLES,
	actionWorkflows,
	connectCredentials,
	errorColumnTables,
	REFUND_AMOUNT_FIELD,
} = require('./action-workflows');

// Building, packing and starting n8n takes long on a busy machine; each step here is quick.
const START_TIMEOUT_MS = 300_000;
jest.setTimeout(30_000);

const emulator = createConnectEmulator();
const workflows = actionWorkflows();
let n8n;

beforeAll(async () => {
	const baseUrl = await emulator.start();
	const tarball = await buildAndPack();
	try {
		n8n = await startN8n({
			tarball,
			workflows: Object.values(workflows),
			credentials: connectCredentials(workflows, { ...EMULATOR_DEFAULTS, baseUrl }),
			dataTables: [EVENTS_TABLE, ...errorColumnTables()],
		});
	} finally {
		removePackDir(tarball);
	}
}, START_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop({ removeUserFolder: process.env.INSTAMED_E2E_KEEP !== '1' });
	await emulator.stop();
}, 60_000);

/** A sale the emulator knows, and InstaMed's Payment Approved notification for it. */
function approvedSale(amount, extraFields = {}) {
	const sale = emulator.seedTransaction({ amount });
	const fields = {
		...messages.paymentApproved,
		PaymentTransactionID: sale.id,
		Amount: amount,
		RequestAmount: amount,
		...extraFields,
	};
	return { sale, fields };
}

/** POSTs the notification to the scenario's production webhook; returns { status, text }. */
async function deliver(scenario, fields, format = 'json') {
	const { body, contentType } = serialise(format, fields);
	return await httpPost({
		url: n8n.webhookUrl(webhookPath(workflows[scenario])),
		body,
		contentType,
	});
}

/** What the emulator was asked to do for one sale, in order. */
function callsFor(transactionId) {
	return emulator.calls
		.filter((call) => call.transactionId === transactionId)
		.map(({ transport, action, amount, transactionStatus }) => ({
			transport,
			action,
			amount,
			transactionStatus,
		}));
}

/** Statuses of a scenario's executions after the first `before`, once all have finished. */
const newExecutionStatuses = (scenario, before, count) =>
	finishedExecutionStatuses(n8n.rest, workflows[scenario].id, before, count);

/** How many executions the workflow has, once every run already started has finished. */
async function executionCount(scenario) {
	await newExecutionStatuses(scenario, 0, 0);
	return await n8n.rest.countExecutions(workflows[scenario].id);
}

test('Payment Approved -> Void: the sale is voided, one void sent', async () => {
	const { sale, fields } = approvedSale('50.00');
	const before = await executionCount('void');
	const answer = await deliver('void', fields, 'xml');
	expect(answer.status).toBe(200);
	expect(emulator.transaction(sale.id)).toMatchObject({ status: 'V', refundedCents: 0 });
	expect(callsFor(sale.id)).toEqual([
		{ transport: 'rest', action: 'void', amount: null, transactionStatus: 'C' },
	]);
	expect(await newExecutionStatuses('void', before, 1)).toEqual(['success']);
});

describe.each([
	['rest', 'refund'],
	['nvp', 'refundNvp'],
])('Refund over %s', (transport, scenario) => {
	test('a partial refund, then the rest: both approved, the sale fully refunded', async () => {
		const { sale, fields } = approvedSale('50.00');
		const first = await deliver(scenario, { ...fields, [REFUND_AMOUNT_FIELD]: '20.00' }, 'nvp');
		expect(first.status).toBe(200);
		expect(emulator.transaction(sale.id)).toMatchObject({ status: 'C', refundedCents: 2000 });

		const rest = await deliver(scenario, { ...fields, [REFUND_AMOUNT_FIELD]: '30.00' }, 'json');
		expect(rest.status).toBe(200);
		const ledger = emulator.transaction(sale.id);
		expect(ledger).toMatchObject({ status: 'C', refundedCents: 5000 });
		expect(ledger.refunds.map((refund) => refund.amount)).toEqual(['20.00', '30.00']);
		expect(callsFor(sale.id)).toEqual([
			{ transport, action: 'refund', amount: '20.00', transactionStatus: 'C' },
			{ transport, action: 'refund', amount: '30.00', transactionStatus: 'C' },
		]);
	});
});

test("each transport carries only its own auth through n8n's HTTP helper: REST the keys, NVP Basic", () => {
	const sent = (transport) =>
		emulator.calls.filter((call) => call.transport === transport && call.authSent);
	expect(sent('rest').length).toBeGreaterThan(0);
	expect(sent('nvp').length).toBeGreaterThan(0);
	for (const call of sent('rest')) expect(call.authSent).toEqual({ apiKey: true, basic: false });
	for (const call of sent('nvp')) expect(call.authSent).toEqual({ apiKey: false, basic: true });
});

test('an over-refund is declined by InstaMed: the workflow fails (500), nothing more refunded', async () => {
	const { sale, fields } = approvedSale('50.00');
	const partial = await deliver('refund', { ...fields, [REFUND_AMOUNT_FIELD]: '30.00' });
	expect(partial.status).toBe(200);

	const before = await executionCount('refund');
	const over = await deliver('refund', { ...fields, [REFUND_AMOUNT_FIELD]: '20.01' });
	expect(over.status).toBe(500);
	expect(emulator.transaction(sale.id)).toMatchObject({ status: 'C', refundedCents: 3000 });
	expect(callsFor(sale.id)).toEqual([
		{ transport: 'rest', action: 'refund', amount: '30.00', transactionStatus: 'C' },
		{ transport: 'rest', action: 'refund', amount: '20.01', transactionStatus: 'D' },
	]);
	expect(await newExecutionStatuses('refund', before, 1)).toEqual(['error']);
});

test('the same refund delivered twice: refused the second time (500), one refund at InstaMed', async () => {
	// A partial amount, so that InstaMed itself would have accepted the repeat: only the node's
	// double-refund guard stands between the second delivery and a second refund.
	const { sale, fields } = approvedSale('50.00', { [REFUND_AMOUNT_FIELD]: '10.00' });
	const before = await executionCount('refund');
	const first = await deliver('refund', fields, 'xml');
	expect(first.status).toBe(200);
	const repeat = await deliver('refund', fields, 'xml');
	expect(repeat.status).toBe(500);

	expect(emulator.transaction(sale.id)).toMatchObject({ status: 'C', refundedCents: 1000 });
	expect(callsFor(sale.id)).toEqual([
		{ transport: 'rest', action: 'refund', amount: '10.00', transactionStatus: 'C' },
	]);
	expect(await newExecutionStatuses('refund', before, 2)).toEqual(['error', 'success']);
});

test('a void after settlement: Void is declined (500); Void or Refund refunds the full amount instead', async () => {
	const { sale, fields } = approvedSale('50.00');
	emulator.settle(sale.id);

	const voided = await deliver('void', fields);
	expect(voided.status).toBe(500);
	expect(emulator.transaction(sale.id)).toMatchObject({ status: 'C', refundedCents: 0 });

	const answer = await deliver('voidOrRefund', fields);
	expect(answer.status).toBe(200);
	const ledger = emulator.transaction(sale.id);
	expect(ledger).toMatchObject({ status: 'C', settled: true, refundedCents: 5000 });
	expect(ledger.refunds.map((refund) => refund.amount)).toEqual(['50.00']);
	expect(callsFor(sale.id)).toEqual([
		{ transport: 'rest', action: 'void', amount: null, transactionStatus: 'D' },
		{ transport: 'rest', action: 'void', amount: null, transactionStatus: 'D' },
		{ transport: 'rest', action: 'refund', amount: '50.00', transactionStatus: 'C' },
	]);
});

test('Void or Refund before settlement voids and refunds nothing', async () => {
	const { sale, fields } = approvedSale('42.10');
	const answer = await deliver('voidOrRefund', fields, 'nvp');
	expect(answer.status).toBe(200);
	expect(emulator.transaction(sale.id)).toMatchObject({ status: 'V', refundedCents: 0 });
	expect(callsFor(sale.id)).toEqual([
		{ transport: 'rest', action: 'void', amount: null, transactionStatus: 'C' },
	]);
});

// Issue 20 item 12: a storage step's row with a column named error holding false, '' or 0 is a
// stored row (n8n's error-item rule asks json.error to be truthy): InstaMed gets 200, once.
test.each([
	['boolean', 'errorColumnBoolean', false],
	['string', 'errorColumnString', ''],
	['number', 'errorColumnNumber', 0],
])(
	'Confirm Stored after a row whose %s column `error` holds a falsy value: 200 confirmed',
	async (kind, scenario, stored) => {
		const { fields } = approvedSale('50.00');
		const table = ERROR_COLUMN_TABLES[kind].name;
		const rowsBefore = (await n8n.rest.dataTableRows(table)).length;
		const before = await executionCount(scenario);
		const answer = await deliver(scenario, fields);
		expect({ status: answer.status, mark: answer.answeredBy }).toEqual({
			status: 200,
			mark: 'confirmed',
		});
		expect(await newExecutionStatuses(scenario, before, 1)).toEqual(['success']);
		// The row Confirm Stored saw really holds the falsy value in its error column.
		const rows = await n8n.rest.dataTableRows(table);
		expect(rows).toHaveLength(rowsBefore + 1);
		expect(rows.map((row) => row.error)).toEqual(rows.map(() => stored));
	},
);

describe('the shipped example (examples/instamed-auto-refund.json)', () => {
	test('is imported and published as shipped; its InstaMed-only allowlist refuses this machine (403)', async () => {
		const workflow = await n8n.rest.workflow(workflows.example.id);
		expect(workflow.active).toBe(true);
		const { sale, fields } = approvedSale('50.00', { AdditionalInfo1: 'DUPLICATE' });
		const answer = await deliver('example', fields);
		expect(answer.status).toBe(403);
		expect(callsFor(sale.id)).toEqual([]);
	});

	test('with IP Allowlist Off: a duplicate payment is refunded in full, once; others are left alone', async () => {
		const duplicate = approvedSale('50.00', { AdditionalInfo1: 'DUPLICATE' });
		expect((await deliver('exampleOpen', duplicate.fields)).status).toBe(200);
		// InstaMed re-delivers (the first answer was slow): Refuse Repeats stops a second refund, and
		// the example outputs the repeat as already sent, so the re-delivery counts as handled (200).
		expect((await deliver('exampleOpen', duplicate.fields)).status).toBe(200);
		await executionCount('exampleOpen'); // the refund runs after the answer
		expect(emulator.transaction(duplicate.sale.id)).toMatchObject({ refundedCents: 5000 });
		expect(callsFor(duplicate.sale.id)).toEqual([
			{ transport: 'rest', action: 'refund', amount: '50.00', transactionStatus: 'C' },
		]);

		const ordinary = approvedSale('50.00');
		expect((await deliver('exampleOpen', ordinary.fields)).status).toBe(200);
		await executionCount('exampleOpen');
		expect(callsFor(ordinary.sale.id)).toEqual([]);
	});

	test('a refund InstaMed declines after Confirm Stored: InstaMed still gets 200, the message is stored once, the run shows the failure', async () => {
		// The emulator declines amounts ending in .51, as InstaMed's test rules do.
		const declined = approvedSale('50.51', { AdditionalInfo1: 'DUPLICATE' });
		const before = await executionCount('exampleOpen');
		const answer = await deliver('exampleOpen', declined.fields);
		expect(answer.status).toBe(200);
		// The answer went out at Confirm Stored, before the refund: wait for the run to end.
		expect(await newExecutionStatuses('exampleOpen', before, 1)).toEqual(['error']);
		expect(callsFor(declined.sale.id)).toEqual([
			{ transport: 'rest', action: 'refund', amount: '50.51', transactionStatus: 'D' },
		]);
		const rows = (await n8n.rest.dataTableRows(EVENTS_TABLE.name)).filter(
			(row) => row.transactionId === declined.sale.id,
		);
		expect(rows).toHaveLength(1);
	});
});
