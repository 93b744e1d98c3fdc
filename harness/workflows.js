// Loads workflow JSON (the examples or any file) and fits it to one n8n instance: its own id,
// webhook path and webhookId, credentials by id, and trigger parameters. Patching the parsed
// workflow keeps the example files themselves valid, importable workflows.
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const TRIGGER_TYPE = 'n8n-nodes-instamed.instaMedTrigger';
const WEBHOOK_TYPES = [TRIGGER_TYPE, 'n8n-nodes-base.webhook'];

/** The embedded example's data table (n8n Data Table columns). */
const EVENTS_TABLE = {
	name: 'instamed_events',
	columns: [
		{ name: 'eventKey', type: 'string' },
		{ name: 'trigger', type: 'string' },
		{ name: 'transactionId', type: 'string' },
		{ name: 'originalTransactionId', type: 'string' },
		{ name: 'amountCents', type: 'number' },
		{ name: 'format', type: 'string' },
		{ name: 'payload', type: 'string' },
		{ name: 'receivedAt', type: 'date' },
	],
};

function readWorkflow(file) {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (Array.isArray(workflow)) throw new Error(`${file} holds several workflows; pass one`);
	return workflow;
}

function loadExample(name) {
	return readWorkflow(path.join(EXAMPLES, `${name}.json`));
}

function webhookNodes(workflow) {
	return workflow.nodes.filter((node) => WEBHOOK_TYPES.includes(node.type));
}

/** n8n workflow ids are 16 alphanumerics; derive a stable one from a readable name. */
function workflowId(name) {
	const clean = name.replace(/[^a-zA-Z0-9]/g, '');
	return `${clean}0000000000000000`.slice(0, 16);
}

/**
 * Returns a copy of `workflow` fitted to an instance:
 * - id, name
 * - path: webhook path of its trigger
 * - triggerParameters: merged into the trigger's parameters
 * - credentials: { <credential type>: { id, name } }, set on every node using that type
 * - nodeParameters: { <node name>: parameters merged in }
 * - saveDataSuccessExecution: n8n's per-workflow setting; default 'all', so tests and the demo can
 *   count and open executions (the examples themselves save none, to keep patient data out)
 */
function prepareWorkflow(workflow, options = {}) {
	const copy = structuredClone(workflow);
	if (options.id) copy.id = options.id;
	if (options.name) copy.name = options.name;
	if (!copy.id) copy.id = workflowId(copy.name ?? 'workflow');
	copy.active = false;
	copy.settings = {
		...copy.settings,
		saveDataSuccessExecution: options.saveDataSuccessExecution ?? 'all',
	};
	for (const node of webhookNodes(copy)) {
		// A copy under a new id gets its own webhookId; a workflow run as-is keeps its own.
		if (!node.webhookId || options.id) node.webhookId = randomUUID();
		if (options.path) node.parameters.path = options.path;
		Object.assign(node.parameters, options.triggerParameters);
	}
	for (const node of copy.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (options.credentials?.[type]) node.credentials[type] = options.credentials[type];
		}
		if (node.type === TRIGGER_TYPE) {
			// The trigger uses the credential of its authentication mode, and the proxy's shared
			// secret when it requires one; nothing else.
			const wanted = [node.parameters.authentication];
			if (node.parameters.requireProxySecret) wanted.push('instaMedProxySecretApi');
			const refs = wanted
				.map((type) => [type, node.credentials?.[type] ?? options.credentials?.[type]])
				.filter(([, ref]) => ref);
			if (refs.length > 0) node.credentials = Object.fromEntries(refs);
			else delete node.credentials;
		}
		Object.assign(node.parameters, options.nodeParameters?.[node.name]);
	}
	return copy;
}

/** The URL path (after /webhook/ or /webhook-test/) of the workflow's first webhook node. */
function webhookPath(workflow) {
	const [node] = webhookNodes(workflow);
	if (!node) throw new Error(`Workflow ${workflow.name} has no webhook trigger`);
	// An empty Path gives the node's own webhook ID (isFullPath), as n8n does.
	return node.parameters.path || node.webhookId;
}

module.exports = {
	EVENTS_TABLE,
	TRIGGER_TYPE,
	loadExample,
	readWorkflow,
	prepareWorkflow,
	webhookPath,
	workflowId,
};
