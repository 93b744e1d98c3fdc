// Workflows as the selected n8n can run them (harness/versions.js reads what differs): node
// typeVersions the line lacks are lowered to its newest, and where the Data Table node cannot
// find a table by name, references by name point at the created table's id instead.
const { installedDifferences } = require('./versions');
const { paths } = require('./install');

/** What differs in the n8n the harness runs (N8N_VERSION), read from its install. */
const runningN8n = () => installedDifferences(paths().n8nDir);

const DATA_TABLE_TYPE = 'n8n-nodes-base.dataTable';

/** A copy of the workflow with typeVersions this n8n has. */
function withLineTypeVersions(workflow, n8n = runningN8n()) {
	const newest = n8n.newestTypeVersions;
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			newest[node.type] !== undefined && node.typeVersion > newest[node.type]
				? { ...node, typeVersion: newest[node.type] }
				: node,
		),
	};
}

// The table a Data Table node means: by name, or by id as the harness points it (the table's name
// kept in cachedResultName, so a table deleted and created again is found again).
function tableNameOf(node) {
	const ref = node.parameters?.dataTableId;
	if (node.type !== DATA_TABLE_TYPE || !ref?.__rl) return undefined;
	if (ref.mode === 'name') return ref.value;
	return ref.mode === 'id' ? ref.cachedResultName : undefined;
}

/** The names of the tables the workflow's Data Table nodes mean. */
function tableNames(workflow) {
	return [...new Set(workflow.nodes.map(tableNameOf).filter(Boolean))];
}

/**
 * The workflow's nodes with each Data Table reference pointing at its table's id, where this line
 * cannot find a table by name; undefined when nothing changes. `tableIds` maps a name to an id.
 */
function nodesWithTableIds(workflow, tableIds, n8n = runningN8n()) {
	if (n8n.dataTableByName) return undefined;
	let changed = false;
	const nodes = workflow.nodes.map((node) => {
		const name = tableNameOf(node);
		const id = tableIds.get(name);
		const ref = node.parameters?.dataTableId;
		if (id === undefined || (ref.mode === 'id' && ref.value === id)) return node;
		changed = true;
		const dataTableId = { __rl: true, mode: 'id', value: id, cachedResultName: name };
		return { ...node, parameters: { ...node.parameters, dataTableId } };
	});
	return changed ? nodes : undefined;
}

/**
 * On a line without Data Table lookup by name: points the stored workflow's Data Table nodes at
 * the ids their tables have now (after a table was created, or deleted and created again) and
 * publishes it again if it was published. Does nothing elsewhere.
 */
async function pointAtTables(rest, workflowId, n8n = runningN8n()) {
	if (n8n.dataTableByName) return;
	const workflow = await rest.workflow(workflowId);
	const tableIds = new Map();
	for (const name of tableNames(workflow)) {
		const table = await rest.findDataTable(name);
		if (table) tableIds.set(name, table.id);
	}
	const nodes = nodesWithTableIds(workflow, tableIds, n8n);
	if (!nodes) return;
	await rest.updateWorkflow(workflowId, { nodes });
	if (workflow.active) await rest.publishWorkflow(workflowId);
}

module.exports = { withLineTypeVersions, nodesWithTableIds, pointAtTables };
