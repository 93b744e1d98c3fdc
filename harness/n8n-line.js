// Workflows as the selected n8n line can run them (harness/versions.js says what differs): node
// typeVersions the line lacks are lowered to its newest, and where the Data Table node cannot
// find a table by name, references by name point at the created table's id instead.
const { selected } = require('./versions');

const DATA_TABLE_TYPE = 'n8n-nodes-base.dataTable';

/** A copy of the workflow with typeVersions this n8n line has. */
function withLineTypeVersions(workflow, profile = selected) {
	const newest = profile.newestTypeVersions;
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			newest[node.type] !== undefined && node.typeVersion > newest[node.type]
				? { ...node, typeVersion: newest[node.type] }
				: node,
		),
	};
}

function tableByName(node) {
	const ref = node.parameters?.dataTableId;
	return node.type === DATA_TABLE_TYPE && ref?.__rl && ref.mode === 'name' ? ref.value : undefined;
}

/**
 * The workflow's nodes with Data Table references by name replaced by the table's id, where this
 * line needs it; undefined when nothing changes. `tableIds` maps a table name to its id.
 */
function nodesWithTableIds(workflow, tableIds, profile = selected) {
	if (profile.dataTableByName) return undefined;
	let changed = false;
	const nodes = workflow.nodes.map((node) => {
		const id = tableIds.get(tableByName(node));
		if (id === undefined) return node;
		changed = true;
		const dataTableId = { __rl: true, mode: 'id', value: id, cachedResultName: tableByName(node) };
		return { ...node, parameters: { ...node.parameters, dataTableId } };
	});
	return changed ? nodes : undefined;
}

module.exports = { withLineTypeVersions, nodesWithTableIds };
