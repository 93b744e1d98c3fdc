// Reads n8n's own SQLite database file directly, beside n8n: what reached the database, without
// asking n8n (whose reads can fail on 1.x's single connection, test/e2e/n8n-sqlite-pool.test.js).
// Runs in the harness's Node (node:sqlite), read-only.
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { paths } = require('./install');

const QUERY = `
const { DatabaseSync } = require('node:sqlite');
const [file, sql] = process.argv.slice(1);
const db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
process.stdout.write(JSON.stringify(db.prepare(sql).all()));
`;

/** Rows of `sql` on the n8n database under `userFolder` (the instance's N8N_USER_FOLDER). */
function n8nDatabaseRows(userFolder, sql) {
	const file = path.join(userFolder, '.n8n', 'database.sqlite');
	const out = execFileSync(paths().nodeBin, ['--no-warnings', '-e', QUERY, file, sql], {
		encoding: 'utf8',
	});
	return JSON.parse(out);
}

/** Every row of the Data Table named `name`, as n8n stores it (table data_table_user_<id>). */
function dataTableRowsInDatabase(userFolder, name) {
	const [table] = n8nDatabaseRows(
		userFolder,
		`SELECT id FROM data_table WHERE name = '${name.replace(/'/g, "''")}'`,
	);
	if (!table) throw new Error(`no data table ${name} in n8n's database`);
	return n8nDatabaseRows(userFolder, `SELECT * FROM "data_table_user_${table.id}"`);
}

module.exports = { n8nDatabaseRows, dataTableRowsInDatabase };
