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

/** Trigger (Payment Approved) -> InstaMed `operation`; parameters are the action node's. */
function approvedThen(name, parameters) {
	return prepareWorkflow({
		id: workflowId(`e2eAction${name}`),
		name: `e2e action ${name}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'InstaMed Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					path: `e2e-action-${name.toLowerCase()}`,
					authentication: 'none',
					events: ['paymentApproved'],
					respond: 'whenLastNodeFinishes',
				},
			},
			{
				id: randomUUID(),
				name: 'InstaMed',
				type: ACTION_TYPE,
				typeVersion: 1,
				position: [300, 0],
				parameters: {
					resource: 'transaction',
					transactionId: '={{ $json.transactionId }}',
					...parameters,
				},
				credentials: nodeCredentials(CREDENTIALS.connect),
			},
		],
		connections: {
			// Output 0 is Payment Approved; the last output (Unrecognized) goes nowhere.
			'InstaMed Trigger': { main: [[{ node: 'InstaMed', type: 'main', index: 0 }], []] },
		},
		settings: { executionOrder: 'v1' },
	});
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
	const label = `ErrorColumn${kind[0].toUpperCase()}${kind.slice(1)}`;
	return prepareWorkflow({
		id: workflowId(`e2eAction${label}`),
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

const refundAmount = `={{ $json.fields.${REFUND_AMOUNT_FIELD} || $json.amount }}`;

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
};
