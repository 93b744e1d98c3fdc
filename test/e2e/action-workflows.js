// Workflows of the InstaMed action end-to-end tests (instamed-action.test.js): the InstaMed Trigger,
// Payment Approved only, straight into the InstaMed node and answering when it finishes (so a
// failing void or refund is answered 500); plus the shipped auto-refund example, which stores,
// confirms and only then refunds.
const { randomUUID } = require('node:crypto');
const {
	TRIGGER_TYPE,
	loadExample,
	prepareWorkflow,
	workflowId,
} = require('../../harness/workflows');
const { CREDENTIALS, credential, nodeCredentials } = require('../../harness/credentials');

const ACTION_TYPE = 'n8n-nodes-instamed.instaMed';
const AUTO_REFUND = 'instamed-auto-refund';

// Merchant-defined field the tests put a refund amount in (InstaMed repeats AdditionalInfo1..6
// untouched); without it the node refunds the payment's own amount, its default.
const REFUND_AMOUNT_FIELD = 'AdditionalInfo3';
const refundAmount = `={{ $json.fields.${REFUND_AMOUNT_FIELD} || $json.amount }}`;

const step = (name, type, typeVersion, parameters, extra = {}) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [300, 0],
	parameters,
	...extra,
});

/** The InstaMed node on a transaction; parameters are the action node's. */
const instaMedStep = (name, parameters) =>
	step(
		name,
		ACTION_TYPE,
		1,
		{ resource: 'transaction', transactionId: '={{ $json.transactionId }}', ...parameters },
		{ credentials: nodeCredentials(CREDENTIALS.connect) },
	);

/**
 * Trigger (Payment Approved, answering when the last node finishes) -> each of `steps` side by
 * side (n8n's v1 order runs them one after the other, in the order of their positions).
 */
function approvedInto(name, steps) {
	const placed = steps.map((candidate, index) => ({ ...candidate, position: [300, index * 200] }));
	return prepareWorkflow({
		id: workflowId(`e2eAction${name}`),
		name: `e2e action ${name}`,
		nodes: [
			step('InstaMed Trigger', TRIGGER_TYPE, 1, {
				path: `e2e-action-${name.toLowerCase()}`,
				authentication: 'none',
				events: ['paymentApproved'],
				respond: 'whenLastNodeFinishes',
			}),
			...placed,
		],
		connections: {
			// Output 0 is Payment Approved; the last output (Unrecognized) goes nowhere.
			'InstaMed Trigger': {
				main: [placed.map((target) => ({ node: target.name, type: 'main', index: 0 })), []],
			},
		},
		settings: { executionOrder: 'v1' },
	});
}

/** Trigger (Payment Approved) -> InstaMed `operation`; parameters are the action node's. */
const approvedThen = (name, parameters) =>
	approvedInto(name, [instaMedStep('InstaMed', parameters)]);

const removeDuplicates = (name, parameters) =>
	step(name, 'n8n-nodes-base.removeDuplicates', 2, {
		...parameters,
		options: { scope: 'workflow' },
	});

/**
 * Workflows where another step writes the workflow-scope list the refund guard keeps (issue 20
 * item 13): a second guarded refund of the same payment, Remove Duplicates recording keys in the
 * workflow scope, and Remove Duplicates clearing it. The refund step must refuse to run in each.
 */
function guardConflictWorkflows() {
	const refund = (name) => instaMedStep(name, { operation: 'refund', amount: refundAmount });
	return {
		twoRefundSteps: approvedInto('TwoRefundSteps', [refund('Refund A'), refund('Refund B')]),
		dedupeWrite: approvedInto('DedupeWrite', [
			removeDuplicates('Seen before', {
				operation: 'removeItemsSeenInPreviousExecutions',
				dedupeValue: '={{ $json.eventKey }}',
			}),
			refund('Refund'),
		]),
		dedupeClear: approvedInto('DedupeClear', [
			removeDuplicates('Forget all', {
				operation: 'clearDeduplicationHistory',
				mode: 'cleanDatabase',
			}),
			refund('Refund'),
		]),
	};
}

/**
 * Tables whose column `error` holds false, '' or 0 in every stored row: a stored row, which
 * Confirm Stored must confirm (n8n counts json.error as an error only when it is truthy).
 */
const ERROR_COLUMN_TABLES = {
	boolean: { name: 'e2e_error_column_boolean', type: 'boolean', value: '={{ false }}' },
	string: { name: 'e2e_error_column_string', type: 'string', value: "={{ '' }}" },
	number: { name: 'e2e_error_column_number', type: 'number', value: '={{ 0 }}' },
};

/** Data table definitions (for startN8n) of ERROR_COLUMN_TABLES. */
const errorColumnTables = () =>
	Object.values(ERROR_COLUMN_TABLES).map(({ name, type }) => ({
		name,
		columns: [
			{ name: 'eventKey', type: 'string' },
			{ name: 'error', type },
		],
	}));

const column = (id, type) => ({
	id,
	displayName: id,
	required: false,
	defaultMatch: false,
	display: true,
	type,
	canBeUsedToMatch: true,
	removed: false,
});

/** Trigger (Payment Approved, answering on Confirm Stored) -> store into `kind`'s table -> Confirm Stored. */
function storedWithErrorColumn(kind) {
	const { name, type, value } = ERROR_COLUMN_TABLES[kind];
	// Workflow ids are 16 characters: the kind goes first so the three differ.
	const label = `ErrCol${kind[0].toUpperCase()}${kind.slice(1)}`;
	return prepareWorkflow({
		id: workflowId(`e2e${label}`),
		name: `e2e action ${label}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'InstaMed Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					path: `e2e-action-error-column-${kind}`,
					authentication: 'none',
					events: ['paymentApproved'],
					respond: 'whenConfirmed',
				},
			},
			{
				id: randomUUID(),
				name: 'Store',
				type: 'n8n-nodes-base.dataTable',
				typeVersion: 1.1,
				position: [300, 0],
				parameters: {
					resource: 'row',
					operation: 'insert',
					dataTableId: { __rl: true, mode: 'name', value: name },
					columns: {
						mappingMode: 'defineBelow',
						value: { eventKey: '={{ $json.eventKey }}', error: value },
						matchingColumns: [],
						schema: [column('eventKey', 'string'), column('error', type)],
						attemptToConvertTypes: false,
						convertFieldsToString: false,
					},
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Confirm Stored',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [600, 0],
				parameters: { resource: 'notification', operation: 'confirmStored' },
			},
		],
		connections: {
			'InstaMed Trigger': { main: [[{ node: 'Store', type: 'main', index: 0 }], []] },
			Store: { main: [[{ node: 'Confirm Stored', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
}

/** Scenario name -> workflow, ready for startN8n. */
function actionWorkflows() {
	const example = loadExample(AUTO_REFUND);
	return {
		void: approvedThen('Void', { operation: 'void' }),
		refund: approvedThen('Refund', { operation: 'refund', amount: refundAmount }),
		refundNvp: approvedThen('RefundNvp', {
			operation: 'refund',
			amount: refundAmount,
			options: { transport: 'nvp' },
		}),
		voidOrRefund: approvedThen('VoidOrRefund', { operation: 'voidOrRefund' }),
		errorColumnBoolean: storedWithErrorColumn('boolean'),
		errorColumnString: storedWithErrorColumn('string'),
		errorColumnNumber: storedWithErrorColumn('number'),
		// The example exactly as shipped (its own id, path, webhookId and credential reference).
		example: prepareWorkflow(example),
		// The same with IP Allowlist Off, as its note says to try it from one's own machine.
		exampleOpen: prepareWorkflow(example, {
			id: workflowId('e2eAutoRefundOpen'),
			path: 'e2e-auto-refund-open',
			triggerParameters: { ipAllowlist: 'off' },
			credentials: nodeCredentials(CREDENTIALS.connect),
		}),
	};
}

/** The InstaMed Connect credentials the workflows name (the example's own, and ours), with `data`. */
function connectCredentials(workflows, data) {
	const refs = new Map();
	for (const workflow of Object.values(workflows)) {
		const step = workflow.nodes.find((node) => node.type === ACTION_TYPE && node.credentials);
		if (!step) continue;
		const { id, name } = step.credentials.instaMedConnectApi;
		refs.set(id, { id, name, type: CREDENTIALS.connect.type });
	}
	return [...refs.values()].map((ref) => credential(ref, data));
}

module.exports = {
	ERROR_COLUMN_TABLES,
	errorColumnTables,
	REFUND_AMOUNT_FIELD,
	actionWorkflows,
	connectCredentials,
	guardConflictWorkflows,
};
