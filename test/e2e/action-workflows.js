// Workflows of the InstaMed action end-to-end tests (instamed-action.test.js): the InstaMed Trigger,
// Payment Approved only, straight into the InstaMed node and answering when it finishes (so a
// failing void or refund is answered 500); plus the shipped auto-refund example, which stores,
// confirms and only then refunds.
const { randomUUID } = require('node:crypto');
const { TRIGGER_TYPE, loadExample, prepareWorkflow, workflowId } = require('../../harness/workflows');
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
		const { id, name } = step.credentials.instaMedConnectApi;
		refs.set(id, { id, name, type: CREDENTIALS.connect.type });
	}
	return [...refs.values()].map((ref) => credential(ref, data));
}

module.exports = {
	REFUND_AMOUNT_FIELD,
	actionWorkflows,
	connectCredentials,
};
