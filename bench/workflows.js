// The bench's workflows, from the shipped examples:
//   A: InstaMed Trigger (Basic, every event, every output connected) -> the example's storage step
//      -> Confirm Stored (Refuse on the error output), as the examples are wired; and A shaped as
//      B (answering when the last node finishes, the storage step last);
//   B: n8n's own Webhook node (POST, Basic, "When Last Node Finishes", no body) -> the same storage
//      step, its values taken from the parsed body.
// Both store into the same table; each message has its own PaymentTransactionID, which is what
// the bench looks the rows up by.
const { randomUUID } = require('node:crypto');
const { loadExample, prepareWorkflow } = require('../harness/workflows');

const REFS = {
	instaMedBasic: { id: 'benchInstaMedBas', name: 'InstaMed Basic (bench)' },
	webhookBasic: { id: 'benchWebhookBasi', name: 'Webhook Basic (bench)' },
	postgres: { id: 'benchPostgres001', name: 'Postgres (bench)' },
};

const EXAMPLES = { postgres: 'instamed-to-postgres', dataTable: 'instamed-to-data-table' };

/** n8n's per-workflow "Save successful production executions" (the harness default is all). */
function withSaving(workflow, saveDataSuccessExecution) {
	workflow.settings = { ...workflow.settings, saveDataSuccessExecution };
	return workflow;
}

function instaMedWorkflow(storage, { id, path, save = 'all' }) {
	const workflow = prepareWorkflow(loadExample(EXAMPLES[storage]), {
		id,
		name: `bench A ${storage} ${path}`,
		path,
		credentials: { instaMedBasicApi: REFS.instaMedBasic, postgres: REFS.postgres },
	});
	return withSaving(workflow, save);
}

/**
 * A shaped as B: the trigger answering "When Last Node Finishes", the storage step last and
 * stopping the run when it fails (n8n then answers 500), no Confirm Stored or Refuse step. What
 * is left between this and B is the trigger's own cost, not the examples' extra step.
 */
function instaMedLastNodeWorkflow({ id, path }) {
	const workflow = instaMedWorkflow('postgres', { id, path });
	const dropped = new Set(['Confirm stored', 'Refuse']);
	workflow.nodes = workflow.nodes.filter((node) => !dropped.has(node.name));
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.instaMedTrigger'));
	trigger.parameters.respond = 'whenLastNodeFinishes';
	const store = workflow.nodes.find((node) => node.name === 'Store event');
	delete store.onError;
	delete workflow.connections[store.name];
	return workflow;
}

// B's storage parameters: the same columns as the example, from the Webhook node's item.
const B_POSTGRES_VALUES =
	"={{ ['B:' + $json.body.PaymentTransactionID, 'webhook', $json.body.PaymentTransactionID, $json.body.OriginalTransactionID, null, 'json', JSON.stringify($json.body), $now.toISO()] }}";

const B_TABLE_COLUMNS = {
	eventKey: "={{ 'B:' + $json.body.PaymentTransactionID }}",
	trigger: 'webhook',
	transactionId: '={{ $json.body.PaymentTransactionID }}',
	originalTransactionId: '={{ $json.body.OriginalTransactionID }}',
	amountCents: '={{ null }}',
	format: 'json',
	payload: '={{ JSON.stringify($json.body) }}',
	receivedAt: '={{ $now.toISO() }}',
};

function webhookWorkflow(storage, { id, path }) {
	const example = loadExample(EXAMPLES[storage]);
	const store = structuredClone(example.nodes.find((node) => node.name === 'Store event'));
	delete store.onError;
	if (storage === 'postgres') {
		store.parameters.options.queryReplacement = B_POSTGRES_VALUES;
	} else {
		store.parameters.filters.conditions[0].keyValue = B_TABLE_COLUMNS.eventKey;
		store.parameters.columns.value = B_TABLE_COLUMNS;
	}
	const webhook = {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 300],
		webhookId: randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path,
			authentication: 'basicAuth',
			responseMode: 'lastNode',
			responseData: 'noData',
			options: {},
		},
		credentials: { httpBasicAuth: REFS.webhookBasic },
	};
	const workflow = prepareWorkflow(
		{
			name: `bench B ${storage} ${path}`,
			nodes: [webhook, store],
			connections: { Webhook: { main: [[{ node: store.name, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		},
		{ id, credentials: { postgres: REFS.postgres } },
	);
	return withSaving(workflow, 'all');
}

/** Every workflow of the bench by role, with its webhook path. */
function benchWorkflows() {
	return {
		aPostgres: instaMedWorkflow('postgres', { id: 'benchAPostgres01', path: 'bench-a-pg' }),
		aPostgresNoSave: instaMedWorkflow('postgres', {
			id: 'benchAPgNoSave01',
			path: 'bench-a-pg-nosave',
			save: 'none',
		}),
		aPostgresLastNode: instaMedLastNodeWorkflow({
			id: 'benchAPgLastNode',
			path: 'bench-a-pg-last',
		}),
		bPostgres: webhookWorkflow('postgres', { id: 'benchBPostgres01', path: 'bench-b-pg' }),
		aDataTable: instaMedWorkflow('dataTable', { id: 'benchADataTable1', path: 'bench-a-dt' }),
		bDataTable: webhookWorkflow('dataTable', { id: 'benchBDataTable1', path: 'bench-b-dt' }),
	};
}

function credentials({ basic, postgres }) {
	return [
		{
			...REFS.instaMedBasic,
			type: 'instaMedBasicApi',
			data: { username: basic.user, password: basic.password },
		},
		{
			...REFS.webhookBasic,
			type: 'httpBasicAuth',
			data: { user: basic.user, password: basic.password },
		},
		{
			...REFS.postgres,
			type: 'postgres',
			data: { ...postgres, ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 10 },
		},
	];
}

module.exports = { benchWorkflows, credentials };
