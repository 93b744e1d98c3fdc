// The campaign's n8n: this package, the shipped Postgres example storing into a database of the
// campaign's own (reached through the TCP proxy), OAuth2 copies for the token checks, and the
// n8n process's memory.
const fs = require('node:fs');
const { randomBytes } = require('node:crypto');
const { startN8n } = require('./n8n');
const { loadExample, prepareWorkflow, webhookPath } = require('./workflows');
const {
	ensureEventsTable,
	postgresConfig,
	postgresCredential,
	TABLE,
	withClient,
} = require('./postgres');
const { CREDENTIALS, authenticatedBy, credential } = require('./credentials');
const { MESSAGE_ID_FIELD } = require('../tools/instamed-delivery');

const { basic: BASIC, jwt: JWT, introspection: INTROSPECTION, postgres: POSTGRES } = CREDENTIALS;

/** Scenario -> workflow id and path. `store` takes the message stream; the others only probes. */
const SCENARIOS = {
	store: { id: 'relStoreBasic001', path: 'reliability-store', auth: BASIC },
	probe: { id: 'relProbeBasic001', path: 'reliability-probe', auth: BASIC },
	jwt: { id: 'relOAuthJwt00001', path: 'reliability-jwt', auth: JWT },
	introspection: {
		id: 'relOAuthIntro001',
		path: 'reliability-introspection',
		auth: INTROSPECTION,
	},
};

/** `respond`: how the trigger answers InstaMed (its Answer InstaMed parameter). */
function workflows(respond) {
	const example = loadExample('instamed-to-postgres');
	return Object.entries(SCENARIOS).map(([name, scenario]) => {
		const auth = authenticatedBy(scenario.auth, POSTGRES);
		const workflow = prepareWorkflow(example, {
			id: scenario.id,
			path: scenario.path,
			...auth,
			triggerParameters: { ...auth.triggerParameters, respond },
		});
		workflow.name = `reliability ${name}`;
		return workflow;
	});
}

function oauthData(issuer, validation) {
	return issuer.credentialData(validation, {
		allowedAlgorithms: ['RS256', 'ES256'],
		clockToleranceSeconds: 5,
		cacheSeconds: 300,
		requiredScope: '',
	});
}

function credentials({ basic, issuer, database, proxyPort }) {
	const postgres = { ...postgresConfig(), host: '127.0.0.1', port: proxyPort, database };
	return [
		credential(BASIC, basic),
		credential(JWT, oauthData(issuer, 'jwt')),
		credential(INTROSPECTION, oauthData(issuer, 'introspection')),
		postgresCredential(POSTGRES, postgres),
	];
}

/** A database of this run only, with the example's events table; never the shared `test` data. */
async function createDatabase() {
	const admin = postgresConfig();
	const database = `instamed_reliability_${randomBytes(4).toString('hex')}`;
	await withClient(admin, (client) => client.query(`CREATE DATABASE ${database}`));
	await ensureEventsTable({ ...admin, database });
	// When each row was written (the database's clock, as the row is made), so that every 200
	// can be checked against it: InstaMed must never get 200 before its message's row exists.
	await withClient({ ...admin, database }, (client) =>
		client.query(
			`ALTER TABLE ${TABLE} ADD COLUMN stored_at timestamptz NOT NULL DEFAULT clock_timestamp()`,
		),
	);
	return {
		database,
		config: { ...admin, database },
		drop: () =>
			withClient(admin, (client) =>
				client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
			),
	};
}

/** Rows per message id, and rows that belong to no known message (must not exist). */
async function storedCounts(config) {
	return await withClient(config, async (client) => {
		const perMessage = await client.query(
			`SELECT payload ->> $1 AS message_id, count(*)::int AS rows, count(DISTINCT event_key)::int AS keys,
				(extract(epoch FROM min(stored_at)) * 1000)::float8 AS first_stored_ms
			 FROM ${TABLE} GROUP BY 1`,
			[MESSAGE_ID_FIELD],
		);
		const totals = await client.query(
			`SELECT count(*)::int AS rows, count(DISTINCT event_key)::int AS keys FROM ${TABLE}`,
		);
		return { perMessage: perMessage.rows, totals: totals.rows[0] };
	});
}

/** VmRSS of a process in MB, from /proc (Linux). */
function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
	return Math.round(kb / 1024);
}

/**
 * Starts n8n with every scenario; resolves to the harness instance (`queue`: { webhooks, workers }
 * for a queue-mode cluster).
 */
async function startInstance({ basic, issuer, database, proxyPort, tarball, respond, queue }) {
	return await startN8n({
		queue,
		tarball,
		workflows: workflows(respond),
		credentials: credentials({ basic, issuer, database, proxyPort }),
	});
}

/** The production URL of a scenario's trigger on this instance. */
function scenarioUrl(n8n, name) {
	const workflow = n8n.workflows.find((candidate) => candidate.id === SCENARIOS[name].id);
	return n8n.webhookUrl(webhookPath(workflow));
}

async function countExecutions(n8n) {
	const counts = {};
	for (const [name, scenario] of Object.entries(SCENARIOS)) {
		counts[name] = await n8n.rest.countExecutions(scenario.id);
	}
	return counts;
}

module.exports = {
	SCENARIOS,
	createDatabase,
	storedCounts,
	rssMb,
	startInstance,
	countExecutions,
	scenarioUrl,
};
