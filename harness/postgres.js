// The Postgres side of example 2: where to connect (standard PG* variables, defaulting to the
// CI service), the `instamed_events` table, and a switch that makes the table refuse writes.
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { credential } = require('./credentials');

const TABLE = 'instamed_events';
const EVENTS_TABLE_SQL = path.join(__dirname, '..', 'examples', 'instamed-events.sql');
const REFUSE_TRIGGER = 'instamed_events_refuse_writes';

/** Connection settings from PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE (CI defaults). */
function postgresConfig(env = process.env) {
	return {
		host: env.PGHOST || '127.0.0.1',
		port: Number(env.PGPORT || 5432),
		user: env.PGUSER || 'postgres',
		password: env.PGPASSWORD || '',
		database: env.PGDATABASE || 'test',
	};
}

/** The n8n Postgres credential `ref` (harness/credentials.js) for a database config. */
function postgresCredential(ref, config = postgresConfig()) {
	return credential(ref, {
		...config,
		ssl: 'disable',
		allowUnauthorizedCerts: false,
		maxConnections: 10,
	});
}

async function withClient(config, fn) {
	const client = new Client({ ...config, connectionTimeoutMillis: 3000 });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** Resolves to null when Postgres answers, else to a plain reason it does not. */
async function postgresUnavailableReason(config = postgresConfig()) {
	if (process.env.INSTAMED_E2E_POSTGRES === 'off') return 'INSTAMED_E2E_POSTGRES=off';
	const where = `${config.user}@${config.host}:${config.port}/${config.database}`;
	try {
		await withClient(config, (client) => client.query('SELECT 1'));
		return null;
	} catch (error) {
		return `no Postgres answers at ${where} (${error.message}); set PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE`;
	}
}

/** Creates the table exactly as users do, from the example's own SQL file. */
async function ensureEventsTable(config = postgresConfig()) {
	const sql = fs.readFileSync(EVENTS_TABLE_SQL, 'utf8');
	await withClient(config, (client) => client.query(sql));
}

/** Rows whose payload has `field` = `value` (tests mark each message with a unique field). */
async function eventRowsWhere(field, value, config = postgresConfig()) {
	return await withClient(config, async (client) => {
		const result = await client.query(
			`SELECT event_key, trigger, transaction_id, original_transaction_id, amount_cents, format,
				payload, received_at FROM ${TABLE} WHERE payload ->> $1 = $2 ORDER BY id`,
			[field, value],
		);
		return result.rows;
	});
}

/** From now on every INSERT into the table fails (a BEFORE trigger raises), until allowWrites. */
async function refuseWrites(config = postgresConfig()) {
	await withClient(config, async (client) => {
		await client.query(`CREATE OR REPLACE FUNCTION ${REFUSE_TRIGGER}() RETURNS trigger
			LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'writes to ${TABLE} are refused (test fault)'; END $$`);
		await client.query(`DROP TRIGGER IF EXISTS ${REFUSE_TRIGGER} ON ${TABLE}`);
		await client.query(`CREATE TRIGGER ${REFUSE_TRIGGER} BEFORE INSERT OR UPDATE ON ${TABLE}
			FOR EACH ROW EXECUTE FUNCTION ${REFUSE_TRIGGER}()`);
	});
}

async function allowWrites(config = postgresConfig()) {
	await withClient(config, async (client) => {
		await client.query(`DROP TRIGGER IF EXISTS ${REFUSE_TRIGGER} ON ${TABLE}`);
		await client.query(`DROP FUNCTION IF EXISTS ${REFUSE_TRIGGER}()`);
	});
}

async function createDatabase(config, database) {
	await withClient(config, (client) => client.query(`CREATE DATABASE ${database}`));
}

async function dropDatabase(config, database) {
	await withClient(config, (client) =>
		client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
	);
}

/** The environment that makes n8n keep its own data in `database` on this Postgres. */
function n8nDatabaseEnv(config, database) {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: config.host,
		DB_POSTGRESDB_PORT: String(config.port),
		DB_POSTGRESDB_USER: config.user,
		DB_POSTGRESDB_PASSWORD: config.password,
		DB_POSTGRESDB_DATABASE: database,
	};
}

module.exports = {
	TABLE,
	createDatabase,
	dropDatabase,
	n8nDatabaseEnv,
	postgresConfig,
	postgresCredential,
	postgresUnavailableReason,
	ensureEventsTable,
	eventRowsWhere,
	refuseWrites,
	allowWrites,
	withClient,
};
