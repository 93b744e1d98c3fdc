'use strict';

// The node's execute() with a stand-in for n8n's execution context, against the emulator.
const { NodeApiError, NodeOperationError } = require('n8n-workflow');
const { InstaMed } = require('../../nodes/InstaMed/InstaMed.node.ts');
const { InstaMedConnectApi } = require('../../credentials/InstaMedConnectApi.credentials.ts');
const { createConnectEmulator } = require('../../tools/connect-emulator');
const { fakeDeduplication, instaMedContext } = require('./instamed-fakes');

let emulator;
let credentials;

beforeAll(async () => {
	emulator = createConnectEmulator();
	const baseUrl = await emulator.start();
	credentials = { ...emulator.config, baseUrl };
});

afterAll(() => emulator.stop());

/** The credential test's headers, resolved the way n8n does for `={{$credentials.x}}`. */
function testRequestHeaders(values) {
	const { headers } = new InstaMedConnectApi().test.request;
	return Object.fromEntries(
		Object.entries(headers).map(([name, expression]) => [
			name,
			values[/^=\{\{\$credentials\.(\w+)\}\}$/.exec(expression)[1]],
		]),
	);
}

/** The node's context with the emulator's credentials. */
const executeContext = (options) => instaMedContext({ credentials, ...options });

const run = (context) => new InstaMed().execute.call(context);

const fromTrigger = (sale) => ({ json: { transactionId: sale.id, amount: sale.amount } });

test('description: usable as a tool, one credential (for transactions), defaults from the trigger item', () => {
	const { description } = new InstaMed();
	expect(description.usableAsTool).toBe(true);
	expect(description.credentials).toEqual([
		{
			name: 'instaMedConnectApi',
			required: true,
			displayOptions: { show: { resource: ['transaction'] } },
		},
	]);
	const byName = (name) => description.properties.filter((property) => property.name === name);
	expect(byName('transactionId')[0].default).toBe('={{ $json.transactionId }}');
	expect(byName('amount').map((property) => property.default)).toEqual([
		'={{ $json.amount }}',
		'={{ $json.amount }}',
	]);
	expect(byName('refuseRepeats')[0].default).toBe(true);
});

test('a partial refund: output item, pairing, what was sent without secrets', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const { context, http, credentialTypes } = executeContext({
		items: [fromTrigger(sale)],
		parameters: () => ({ operation: 'refund', transactionId: sale.id, amount: '10' }),
	});
	const [[item]] = await run(context);
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(item.json).toMatchObject({
		operation: 'refund',
		action: 'refund',
		originalTransactionId: sale.id,
		status: 'C',
		responseCode: '000',
		amount: '10.00',
		amountCents: 1000,
		sent: {
			transport: 'rest',
			method: 'POST',
			fields: { Amount: '10.00', TransactionID: sale.id },
		},
	});
	expect(item.json.transactionId).toMatch(/^[0-9A-F]{32}$/);
	const output = JSON.stringify(item.json);
	expect(output).not.toContain(credentials.apiSecret);
	expect(output).not.toContain(credentials.password);
	expect(http.sent[0].headers).toEqual({
		Accept: 'application/json',
		'Api-Key': credentials.apiKey,
		'Api-Secret': credentials.apiSecret,
	});
	expect(new Set(credentialTypes)).toEqual(new Set(['instaMedConnectApi']));
	expect(emulator.transaction(sale.id).refundedCents).toBe(1000);
});

test('the same refund twice in one run: the second item is refused, one refund sent', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const { context } = executeContext({
		items: [fromTrigger(sale), fromTrigger(sale)],
		parameters: () => ({ operation: 'refund', transactionId: sale.id, amount: '5.00' }),
		continueOnFail: true,
	});
	const [[first, second]] = await run(context);
	expect(first.json.status).toBe('C');
	expect(second).toEqual({
		json: {
			error: `A refund of 5.00 for transaction ${sale.id} was already sent from this workflow, so it was not sent again`,
		},
		pairedItem: { item: 1 },
	});
	expect(emulator.transaction(sale.id).refunds).toHaveLength(1);
});

test('with "Output It as Already Sent", a refused repeat is a success item and nothing is sent', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const dedup = fakeDeduplication();
	const parameters = () => ({
		operation: 'refund',
		transactionId: sale.id,
		amount: '5.00',
		options: { onRepeat: 'alreadySent' },
	});
	await run(executeContext({ items: [fromTrigger(sale)], parameters, dedup }).context);
	const [[redelivered]] = await run(
		executeContext({ items: [fromTrigger(sale)], parameters, dedup }).context,
	);
	expect(redelivered).toEqual({
		json: {
			operation: 'refund',
			action: 'refund',
			originalTransactionId: sale.id,
			alreadySent: true,
			message: `A refund of 5.00 for transaction ${sale.id} was already sent from this workflow, so it was not sent again`,
			amount: '5.00',
			amountCents: 500,
		},
		pairedItem: { item: 0 },
	});
	expect(emulator.transaction(sale.id).refunds).toHaveLength(1);
});

test('a decline fails the item with InstaMed message and the item index', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const { context } = executeContext({
		items: [fromTrigger(sale)],
		parameters: () => ({ operation: 'refund', transactionId: sale.id, amount: '60.00' }),
	});
	const error = await run(context).catch((thrown) => thrown);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toBe(
		'InstaMed declined the refund: Refund amount exceeds the refundable balance of 50.00',
	);
	expect(error.description).toBe('Transaction status D, response code 061');
	expect(error.context.itemIndex).toBe(0);
});

test('with Continue On Fail a decline is an error item carrying the answer', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00', settled: true });
	const { context, dedup } = executeContext({
		items: [fromTrigger(sale)],
		parameters: () => ({ operation: 'void', transactionId: sale.id }),
		continueOnFail: true,
	});
	const [[item]] = await run(context);
	expect(item.pairedItem).toEqual({ item: 0 });
	expect(item.json).toMatchObject({
		error: expect.stringMatching(/^InstaMed declined the void: Void not allowed/),
		status: 'D',
		responseCode: '058',
		action: 'void',
	});
	expect(dedup.size()).toBe(0);
});

test('an InstaMed error becomes a NodeApiError with the HTTP status and message', async () => {
	const { context } = executeContext({
		items: [{ json: {} }],
		parameters: () => ({ operation: 'void', transactionId: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' }),
	});
	const error = await run(context).catch((thrown) => thrown);
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.httpCode).toBe('400');
	expect(error.message).toBe('InstaMed void failed: TransactionID not found');
	expect(error.context.itemIndex).toBe(0);
});

test('an invalid amount is refused before anything is sent or recorded', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const { context, http, dedup } = executeContext({
		items: [fromTrigger(sale)],
		parameters: () => ({ operation: 'refund', transactionId: sale.id, amount: '10.005' }),
	});
	const error = await run(context).catch((thrown) => thrown);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toMatch(/Invalid amount "10.005"/);
	expect(http.sent).toHaveLength(0);
	expect(dedup.log).toHaveLength(0);
});

test('an empty transaction id is refused', async () => {
	const { context } = executeContext({
		items: [{ json: {} }],
		parameters: () => ({ operation: 'void', transactionId: '  ' }),
	});
	await expect(run(context)).rejects.toThrow('Transaction ID is empty');
});

test('void or refund over NVP after settlement: refunds the full amount', async () => {
	const sale = emulator.seedTransaction({ amount: '75.25' });
	emulator.settle(sale.id);
	const { context } = executeContext({
		items: [fromTrigger(sale)],
		parameters: () => ({
			operation: 'voidOrRefund',
			transactionId: sale.id,
			amount: sale.amount,
			options: { transport: 'nvp' },
		}),
	});
	const [[item]] = await run(context);
	expect(item.json).toMatchObject({
		operation: 'voidOrRefund',
		action: 'refund',
		status: 'C',
		amount: '75.25',
		voidAttempt: { status: 'D', responseCode: '058' },
		sent: { transport: 'nvp', fields: { transactionAction: 'SimpleRefund', amount: '75.25' } },
	});
	expect(emulator.transaction(sale.id).refundedCents).toBe(7525);
});

test('the guard off lets a deliberate second equal refund through', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const { context, dedup } = executeContext({
		items: [fromTrigger(sale), fromTrigger(sale)],
		parameters: () => ({
			operation: 'refund',
			transactionId: sale.id,
			amount: '5.00',
			refuseRepeats: false,
		}),
	});
	const [items] = await run(context);
	expect(items.map((item) => item.json.status)).toEqual(['C', 'C']);
	expect(dedup.log).toHaveLength(0);
	expect(emulator.transaction(sale.id).refunds).toHaveLength(2);
});

test('credential: no generic authenticate (no Custom API Call); test is a GET of the outlet with the keys', () => {
	const credential = new InstaMedConnectApi();
	expect(credential.name).toBe('instaMedConnectApi');
	expect(credential.authenticate).toBeUndefined();
	expect(testRequestHeaders({ apiKey: 'k', apiSecret: 's' })).toEqual({
		'Api-Key': 'k',
		'Api-Secret': 's',
	});
	expect(credential.test.request).toMatchObject({ method: 'GET', url: '/rest/outlet' });
	const secrets = credential.properties
		.filter((property) => property.typeOptions?.password)
		.map((property) => property.name);
	expect(secrets).toEqual(['apiKey', 'apiSecret', 'password']);
});

// Issue 20 item 13: the lock is this step's row, the list the workflow's. Another step writing
// that list is not under the lock, so the node refuses to run where one exists: nothing sent.
describe('the double-refund guard refuses a workflow where another step writes its list', () => {
	const instaMed = (name, parameters, extra = {}) => ({
		name,
		type: 'n8n-nodes-instamed.instaMed',
		typeVersion: 1,
		parameters,
		...extra,
	});
	const removeDuplicates = (name, parameters, typeVersion = 2) => ({
		name,
		type: 'n8n-nodes-base.removeDuplicates',
		typeVersion,
		parameters,
	});
	const seen = { operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: '={{ $json.id }}' };
	const clear = { operation: 'clearDeduplicationHistory', mode: 'cleanDatabase' };

	function refundWith(otherSteps, extra = {}) {
		const sale = emulator.seedTransaction({ amount: '50.00' });
		const parameters = { operation: 'refund', transactionId: sale.id, amount: '5.00', ...extra };
		return {
			sale,
			...executeContext({ items: [fromTrigger(sale)], parameters: () => parameters, otherSteps }),
		};
	}

	test.each([
		[
			'a second guarded refund step',
			[instaMed('Refund again', { operation: 'refund' })],
			/"Refund again" \(another InstaMed/,
		],
		[
			'a guarded void step, Refuse Repeats by expression',
			[instaMed('Void', { operation: 'void', refuseRepeats: '={{ true }}' })],
			/"Void"/,
		],
		[
			'Remove Duplicates recording in the workflow scope',
			[removeDuplicates('Dedupe', { ...seen, options: { scope: 'workflow' } })],
			/"Dedupe" \(Remove Duplicates/,
		],
		[
			'Remove Duplicates clearing the workflow scope',
			[removeDuplicates('Clear', { ...clear, options: { scope: 'workflow' } })],
			/"Clear"/,
		],
		[
			'Remove Duplicates with its scope from an expression',
			[removeDuplicates('Dedupe', { ...seen, options: { scope: '={{ "workflow" }}' } })],
			/"Dedupe"/,
		],
	])('%s: the run fails, nothing is sent or recorded', async (_name, otherSteps, named) => {
		const { context, http, dedup, sale } = refundWith(otherSteps);
		const error = await run(context).catch((thrown) => thrown);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/^Refuse Repeats cannot be kept here: /);
		expect(error.message).toMatch(named);
		expect(http.sent).toHaveLength(0);
		expect(dedup.log).toHaveLength(0);
		expect(emulator.transaction(sale.id).refundedCents).toBe(0);
	});

	test('even with Continue On Fail: the run fails, nothing is sent', async () => {
		const sale = emulator.seedTransaction({ amount: '50.00' });
		const { context, http } = executeContext({
			items: [fromTrigger(sale)],
			parameters: () => ({ operation: 'refund', transactionId: sale.id, amount: '5.00' }),
			continueOnFail: true,
			otherSteps: [instaMed('Refund again', { operation: 'refund' })],
		});
		await expect(run(context)).rejects.toThrow(/Refuse Repeats cannot be kept here/);
		expect(http.sent).toHaveLength(0);
	});

	test.each([
		['a disabled guarded step', [instaMed('Off', { operation: 'refund' }, { disabled: true })]],
		[
			'an InstaMed step with Refuse Repeats off',
			[instaMed('Again', { operation: 'refund', refuseRepeats: false })],
		],
		[
			'a Confirm Stored step',
			[instaMed('Confirm', { resource: 'notification', operation: 'confirmStored' })],
		],
		['Remove Duplicates in the node scope (its default)', [removeDuplicates('Dedupe', seen)]],
		[
			'Remove Duplicates removing duplicates within the input only',
			[
				removeDuplicates('Dedupe', {
					operation: 'removeDuplicateInputItems',
					options: { scope: 'workflow' },
				}),
			],
		],
		[
			'Remove Duplicates v1 (keeps nothing between runs)',
			[removeDuplicates('Dedupe', { options: { scope: 'workflow' } }, 1.1)],
		],
	])('%s does not conflict: the refund is sent', async (_name, otherSteps) => {
		const { context, sale } = refundWith(otherSteps);
		const [[item]] = await run(context);
		expect(item.json.status).toBe('C');
		expect(emulator.transaction(sale.id).refundedCents).toBe(500);
	});

	test('this step with Refuse Repeats off is not checked', async () => {
		const { context, sale } = refundWith([instaMed('Refund again', { operation: 'refund' })], {
			refuseRepeats: false,
		});
		const [[item]] = await run(context);
		expect(item.json.status).toBe('C');
		expect(emulator.transaction(sale.id).refundedCents).toBe(500);
	});

	test("an n8n that does not show the workflow's steps: refused, nothing sent", async () => {
		const sale = emulator.seedTransaction({ amount: '50.00' });
		const { context, http } = executeContext({
			items: [fromTrigger(sale)],
			parameters: () => ({ operation: 'refund', transactionId: sale.id, amount: '5.00' }),
			workflowReadable: false,
		});
		await expect(run(context)).rejects.toThrow(/does not show the workflow's steps/);
		expect(http.sent).toHaveLength(0);
	});
});
