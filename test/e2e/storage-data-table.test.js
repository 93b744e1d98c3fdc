// Example 1 on embedded defaults: InstaMed Trigger (Basic) -> n8n's own Data Table.
// The storage fault: the workflow's table is missing, so the Data Table step fails.

const { storageSuite } = require('./support/storage-suite');
const { sharedN8n, tableRowsMarked } = require('./support/e2e');
const { pointAtTables } = require('../../harness/n8n-line');

const { e2e } = sharedN8n();
const { tables } = e2e.state;

function normalise(row) {
	return { ...row, payload: JSON.parse(row.payload) };
}

storageSuite({
	label: 'data table',
	scenario: 'table',
	faultScenario: 'tableFault',
	async rowsMarked(rest, marker, { fault = false } = {}) {
		const table = fault ? tables.fault : tables.events;
		return (await tableRowsMarked(rest, table.name, marker)).map(normalise);
	},
	breakStorage: (rest) => rest.deleteDataTable(tables.fault.name),
	faultReason: /instamed_storage_fault/,
	// A new table has a new id: an n8n that finds tables by id only (1.x) is pointed at it.
	async repairStorage(rest) {
		await rest.ensureDataTable(tables.fault.name, tables.fault.columns);
		await pointAtTables(rest, e2e.scenario('tableFault').id);
	},
});
