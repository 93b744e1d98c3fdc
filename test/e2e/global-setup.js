// Once per e2e run: install n8n (cached), build and pack the package, and start ONE n8n with every
// scenario's workflow. N8N_PROXY_HOPS=1 makes n8n take the client address from X-Forwarded-For
// (as behind a reverse proxy), which the IP allowlist tests need; other tests send no such header.
const { ensureN8n } = require('../harness/install');
const { buildAndPack, removePackDir } = require('../harness/package');
const { startN8n, RUN_ENV } = require('../harness/n8n');
const { EVENTS_TABLE } = require('../harness/workflows');
const {
	ensureEventsTable,
	postgresConfig,
	postgresUnavailableReason,
} = require('../harness/postgres');
const { log } = require('../harness/process');
const {
	credentials,
	describeScenarios,
	newRunSettings,
	workflows,
	FAULT_TABLE,
	ACK_TABLE,
} = require('./support/catalog');
const { writeState } = require('./support/state');

function seconds(since) {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

module.exports = async function globalSetup() {
	const started = Date.now();
	// Every n8n of this run (shared or started by a test) is registered under this process.
	process.env[RUN_ENV] = String(process.pid);
	await ensureN8n();
	log(`n8n install ready after ${seconds(started)}`);
	const tarball = await buildAndPack();
	log(`package built and packed after ${seconds(started)}`);

	const postgresSkipReason = await postgresUnavailableReason();
	if (postgresSkipReason) {
		log(`the Postgres tests will be SKIPPED: ${postgresSkipReason}`);
	} else {
		await ensureEventsTable();
	}

	const settings = newRunSettings();
	const scenarios = workflows();
	const startedN8n = Date.now();
	const n8n = await startN8n({
		tarball,
		workflows: Object.values(scenarios),
		credentials: credentials({ ...settings, postgres: postgresConfig() }),
		dataTables: [EVENTS_TABLE, ACK_TABLE],
		env: { N8N_PROXY_HOPS: '1' },
	});
	removePackDir(tarball);
	log(`shared n8n started in ${seconds(startedN8n)} (setup total ${seconds(started)})`);
	// globalTeardown runs in this same process and reads this to stop n8n.
	globalThis.__INSTAMED_E2E_N8N__ = n8n;
	writeState({
		...settings,
		baseUrl: n8n.baseUrl,
		pid: n8n.pid,
		userFolder: n8n.userFolder,
		logFile: n8n.logFile,
		owner: n8n.owner,
		ownerSession: n8n.rest.session(),
		scenarios: describeScenarios(scenarios),
		tables: { events: EVENTS_TABLE, fault: FAULT_TABLE, ack: ACK_TABLE },
		postgres: { skipReason: postgresSkipReason },
	});
};
