// Once per e2e run: install n8n (cached), build and pack the package, and start ONE n8n with every
// scenario's workflow. N8N_PROXY_HOPS=1 makes n8n take the client address from X-Forwarded-For
// (as behind a reverse proxy), which the IP allowlist tests need; other tests send no such header.
// The `queue` jest project (`npm run test:queue`) runs the same setup with n8n in queue mode: a
// main process, one webhook process that the tests post to, two workers (harness/queue.js).
const { ensureN8n } = require('../../harness/install');
const { N8N_VERSION, NODE_VERSION } = require('../../harness/versions');
const { buildAndPack, removePackDir } = require('../../harness/package');
const { startN8n, RUN_ENV } = require('../../harness/n8n');
const { EVENTS_TABLE } = require('../../harness/workflows');
const {
	ensureEventsTable,
	postgresConfig,
	postgresUnavailableReason,
} = require('../../harness/postgres');
const { log } = require('../../harness/process');
const { redisUnavailableReason } = require('../../harness/redis');
const {
	credentials,
	describeScenarios,
	newRunSettings,
	workflows,
	FAULT_TABLE,
	ACK_TABLE,
	UNPUBLISHED,
} = require('./support/catalog');
const { writeState } = require('./support/state');

function seconds(since) {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

const QUEUE = { webhooks: 1, workers: 2 };

module.exports = async function globalSetup(_globalConfig, projectConfig) {
	const queue = projectConfig.displayName?.name === 'queue' ? QUEUE : undefined;
	const started = Date.now();
	// Every n8n of this run (shared or started by a test) is registered under this process.
	process.env[RUN_ENV] = String(process.pid);
	await ensureN8n();
	log(
		`n8n ${N8N_VERSION} on Node ${NODE_VERSION} (N8N_VERSION selects another) ready after ${seconds(started)}`,
	);
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
	if (queue) {
		const reason = await redisUnavailableReason();
		if (reason) throw new Error(`Queue mode needs Redis: ${reason}`);
		if (postgresSkipReason) throw new Error(`Queue mode needs Postgres: ${postgresSkipReason}`);
	}
	const n8n = await startN8n({
		queue,
		tarball,
		workflows: Object.values(scenarios),
		unpublished: UNPUBLISHED.map((name) => scenarios[name].id),
		credentials: credentials({ ...settings, postgres: postgresConfig() }),
		dataTables: [EVENTS_TABLE, ACK_TABLE],
		env: { N8N_PROXY_HOPS: '1' },
	});
	removePackDir(tarball);
	log(
		`shared n8n${queue ? ' (queue mode)' : ''} started in ${seconds(startedN8n)} (setup total ${seconds(started)})`,
	);
	// globalTeardown runs in this same process and reads this to stop n8n.
	globalThis.__INSTAMED_E2E_N8N__ = n8n;
	writeState({
		...settings,
		baseUrl: n8n.baseUrl,
		// Where production webhooks are posted: the webhook process in queue mode.
		webhookBaseUrl: n8n.queue ? n8n.receiver.baseUrl : n8n.baseUrl,
		queue: Boolean(n8n.queue),
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
