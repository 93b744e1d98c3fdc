// How InstaMed is answered, in the shared real n8n: 200 exactly when a Confirm Stored step ran
// after the storage step; non-2xx (with a reason) for every workflow shape that did not store.
const { messages, edgeMessages, serialise } = require('../../tools/sample-messages');
const { deliverOne, scaledSchedule, MESSAGE_ID_FIELD } = require('../../tools/instamed-delivery');
const {
	sharedN8n,
	mark,
	send,
	executionsAfterSettling,
	finishedExecutionStatuses,
	tableRowsMarked,
	sleep,
	MARKER_FIELD,
} = require('./support/e2e');

const { e2e, rest } = sharedN8n();
const ackTable = e2e.state.tables.ack.name;

const rows = async (fields) => await tableRowsMarked(rest, ackTable, fields[MARKER_FIELD]);

const settledStatuses = (scenario, before, count) =>
	finishedExecutionStatuses(rest, e2e.scenario(scenario).id, before, count);

/** Posts a message and expects a refusal before any run: the status, the reason, no execution. */
async function expectRefusedBeforeRun(scenario, fields, status, reason) {
	const { id } = e2e.scenario(scenario);
	const before = await rest.countExecutions(id);
	const answer = await send(e2e.url(scenario), 'json', fields);
	expect(answer.status).toBe(status);
	expect(answer.reason).toMatch(reason);
	expect(await executionsAfterSettling(rest, id)).toBe(before);
	expect(await rows(fields)).toHaveLength(0);
}

describe('outputs that lead nowhere', () => {
	test('Unrecognized not connected: a message no rule matches gets 503 and no run; an Approved is stored', async () => {
		const unrecognized = mark(edgeMessages.unrecognized, e2e.marker('ack-partial-unrecognized'));
		await expectRefusedBeforeRun(
			'ackPartial',
			unrecognized,
			503,
			/^Not stored: the trigger's Unrecognized output is not connected to any step$/,
		);
		const approved = mark(messages.paymentApproved, e2e.marker('ack-partial-approved'));
		expect((await send(e2e.url('ackPartial'), 'xml', approved)).status).toBe(200);
		expect(await rows(approved)).toHaveLength(1);
	});

	test('InstaMed re-delivers the refused message until the fixed workflow stores it, once', async () => {
		const { id } = e2e.scenario('ackPartial');
		const fields = mark(
			{ ...edgeMessages.unrecognized, [MESSAGE_ID_FIELD]: 'ack-redelivery' },
			e2e.marker('ack-partial-redelivered'),
		);
		const { body, contentType } = serialise('nvp', fields);
		const attemptsSeen = [];
		// InstaMed's schedule with 30 minutes made 3 s: the workflow is fixed after the first refusal.
		const delivering = deliverOne(
			{ id: 'ack-redelivery', body, contentType },
			{
				url: e2e.url('ackPartial'),
				schedule: scaledSchedule({ timeScale: 3000 / 1_800_000 }),
				onAttempt: (delivery) => attemptsSeen.push(delivery.attempts.at(-1)),
			},
		);
		while (attemptsSeen.length === 0) await sleep(100);
		const workflow = await rest.workflow(id);
		// Approved (output 0) and Unrecognized (output 1) both to the storage step.
		const bothOutputs = [0, 1].map(() => [{ node: 'Store event', type: 'main', index: 0 }]);
		await rest.updateWorkflow(id, {
			nodes: workflow.nodes,
			connections: { ...workflow.connections, 'InstaMed Trigger': { main: bothOutputs } },
		});
		await rest.publishWorkflow(id);
		const delivery = await delivering;
		expect(delivery.state).toBe('stored');
		expect(delivery.attempts.length).toBeGreaterThanOrEqual(2);
		expect(delivery.attempts[0].outcome).toBe('failed');
		expect(await rows(fields)).toHaveLength(1);
	});

	test('When Last Node Finishes, Unrecognized not connected: 503 and no run', async () => {
		const fields = mark(edgeMessages.unrecognized, e2e.marker('ack-last-node'));
		await expectRefusedBeforeRun(
			'ackLastNodePartial',
			fields,
			503,
			/^Not stored: the trigger's Unrecognized output is not connected to any step$/,
		);
	});

	test('storage but no Confirm Stored step: n8n refuses to publish it, with the reason a message would get', async () => {
		const { id } = e2e.scenario('ackNoConfirm');
		// n8n 2.x applies a publish in the background and reports its failure; 1.x refuses the call.
		const refusal = await rest.publishWorkflow(id).then(
			() => rest.publicationError(id),
			(error) => error.message,
		);
		expect(refusal).toMatch(
			/Not stored: no InstaMed Confirm Stored step follows the trigger's Approved output/,
		);
		const fields = mark(messages.paymentApproved, e2e.marker('ack-no-confirm'));
		const answer = await send(e2e.url('ackNoConfirm'), 'json', fields);
		expect(answer.status).toBe(404);
		// Its own timeout: the queue project runs this file without the e2e setup's one minute, and
		// a background publish reports its failure after several seconds (n8n 2.41 in queue mode: ~16 s).
	}, 90_000);
});

describe('after Confirm Stored', () => {
	test('a step that fails after the answer: InstaMed has its 200, one row, the run shows the error', async () => {
		const before = await rest.countExecutions(e2e.scenario('ackThenFail').id);
		const fields = mark(messages.paymentRefunded, e2e.marker('ack-then-fail'));
		const answer = await send(e2e.url('ackThenFail'), 'json', fields);
		expect(answer).toMatchObject({ status: 200, text: '' });
		expect(await settledStatuses('ackThenFail', before, 1)).toEqual(['error']);
		expect(await rows(fields)).toHaveLength(1);
		// The answer names its execution, and n8n's record of it holds the message (the
		// reliability campaign finds the executions behind a lost message this way).
		expect(answer.execution).toMatch(/^\d+$/);
		const summaries = await rest.executionSummaries(e2e.scenario('ackThenFail').id);
		expect(summaries.find((execution) => execution.id === answer.execution)).toMatchObject({
			status: 'error',
		});
		expect(await rest.executionData(answer.execution)).toContain(fields[MARKER_FIELD]);
	});

	test('a 25 s step after the answer: InstaMed is answered within 2 s of the insert', async () => {
		const fields = mark(messages.paymentVoided, e2e.marker('ack-then-slow'));
		const sent = Date.now();
		const answer = await send(e2e.url('ackThenSlow'), 'json', fields);
		const answeredAt = Date.now();
		expect(answer.status).toBe(200);
		const [row] = await rows(fields);
		const insertToAnswerMs = answeredAt - Date.parse(row.createdAt);
		console.log(
			`Confirm Stored: answered ${answeredAt - sent} ms after posting, ${insertToAnswerMs} ms after the row was written (the run goes on 25 s)`,
		);
		expect(insertToAnswerMs).toBeLessThan(2000);
		expect(answeredAt - sent).toBeLessThan(10_000);
	});
});

describe('runs that did not store are never answered 2xx', () => {
	test('the storage step on Continue On Fail passes the item on to Confirm Stored: 500 with its error', async () => {
		const before = await rest.countExecutions(e2e.scenario('ackContinueOnFail').id);
		const fields = mark(messages.paymentChargeback, e2e.marker('ack-continue-on-fail'));
		const answer = await send(e2e.url('ackContinueOnFail'), 'json', fields);
		expect(answer.status).toBe(500);
		expect(answer.reason).toMatch(/^Not stored: /);
		expect(answer.text).toBe(answer.reason);
		expect(await settledStatuses('ackContinueOnFail', before, 1)).toEqual(['error']);
	});

	test("the storage step's error output wired to Confirm Stored: 500, never 200", async () => {
		const fields = mark(messages.paymentReturned, e2e.marker('ack-error-to-confirm'));
		const answer = await send(e2e.url('ackErrorToConfirm'), 'json', fields);
		expect(answer.status).toBe(500);
		expect(answer.reason).toMatch(/^Not stored: .*e2e_missing_table/);
	});

	test("a run that ends without reaching Confirm Stored: n8n's own 200 is turned into 500", async () => {
		const before = await rest.countExecutions(e2e.scenario('ackNotReached').id);
		const fields = mark(messages.paymentError, e2e.marker('ack-not-reached'));
		const answer = await send(e2e.url('ackNotReached'), 'json', fields);
		expect(answer.status).toBe(500);
		expect(answer.reason).toBe(
			'Not stored: the workflow ended without a Confirm Stored step confirming storage',
		);
		// The run itself succeeded: only the answer guard stood between it and a 200.
		expect(await settledStatuses('ackNotReached', before, 1)).toEqual(['success']);
	});

	test('the test URL behaves as the production one', async () => {
		const { id } = e2e.scenario('ackNotReached');
		await rest.armTestWebhook(id, 'InstaMed Trigger');
		const fields = mark(messages.paymentError, e2e.marker('ack-not-reached-test-url'));
		const answer = await send(e2e.testUrl('ackNotReached'), 'json', fields);
		expect(answer.status).toBe(500);
		expect(answer.reason).toMatch(/^Not stored: the workflow ended without a Confirm Stored step/);
	});
});
