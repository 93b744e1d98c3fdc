// Runs one real n8n: fresh user folder, this package installed from its tarball, credentials and
// workflows imported with the CLI, started on free ports, owner created, workflows published.
// n8n runs in its own process group so stop() (or this process exiting) leaves nothing behind.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { randomBytes, randomUUID } = require('node:crypto');
const { spawn } = require('node:child_process');
const { ensureN8n, paths } = require('./install');
const { buildAndPack, installIntoUserFolder, removePackDir } = require('./package');
const { run, log, tail } = require('./process');
const { N8nRest } = require('./rest');
const { installedDifferences } = require('./versions');
const { withLineTypeVersions, pointAtTables } = require('./n8n-line');

// What each n8n process is started with and the log line it prints once it serves (n8n 2.40.7,
// dist/commands/{start,webhook,worker}.js). Queue mode (queue.js) runs all three; otherwise `main`.
const ROLES = {
	main: { command: 'start', readyLine: 'Editor is now accessible via' },
	webhook: { command: 'webhook', readyLine: 'Webhook listener waiting for requests.' },
	worker: { command: 'worker', readyLine: 'n8n worker is now ready' },
};
// Generous: in queue mode the first start runs every migration on Postgres, beside other processes.
const START_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 15_000;

const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'InstaMed-Demo-1',
};

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** N8N_DISABLED_MODULES for the installed n8n: it exits on a module it does not have. */
function disabledModules() {
	const modules = installedDifferences(paths().n8nDir).disabledModules;
	return modules.length > 0 ? { N8N_DISABLED_MODULES: modules.join(',') } : {};
}

/**
 * DB_SQLITE_POOL_SIZE where n8n's SQLite has no pool by default (1.x): the pool 2.x has, and the
 * setting the README gives 1.x users (see sqlitePooledByDefault in versions.js). The unpooled
 * n8n stays reachable with `env: { DB_SQLITE_POOL_SIZE: '0' }` (test/e2e/n8n-sqlite-pool.test.js).
 */
function sqlitePool() {
	return installedDifferences(paths().n8nDir).sqlitePooledByDefault
		? {}
		: { DB_SQLITE_POOL_SIZE: '3' };
}

/** Environment for a quiet, fast, local n8n that keeps every execution it records. */
function n8nEnv({ userFolder, port, brokerPort, host, extra }) {
	return {
		...process.env,
		// Jest sets NODE_ENV=test, under which n8n's CLI exits without starting.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: host,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		...disabledModules(),
		...sqlitePool(),
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		EXECUTIONS_DATA_PRUNE: 'false',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

function writeJson(file, value) {
	fs.writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
}

function waitForExit(child, ms) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

// Every n8n the harness starts leaves a pid file, named after the run that owns it (the e2e global
// setup names the run, so test workers share it), so a teardown can stop what a test left behind.
const PID_DIR = path.join(os.tmpdir(), 'instamed-n8n-pids');
const RUN_ENV = 'INSTAMED_HARNESS_RUN';

function runId() {
	return process.env[RUN_ENV] ?? String(process.pid);
}

function pidFile(pid) {
	return path.join(PID_DIR, `${runId()}-${pid}`);
}

/** Kills every n8n this run started and did not stop; returns how many there were. */
function killStrays() {
	if (!fs.existsSync(PID_DIR)) return 0;
	const mine = fs.readdirSync(PID_DIR).filter((name) => name.startsWith(`${runId()}-`));
	for (const name of mine) {
		killGroup(Number(name.slice(name.lastIndexOf('-') + 1)), 'SIGKILL');
		fs.rmSync(path.join(PID_DIR, name), { force: true });
	}
	return mine.length;
}

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The requested port; else n8n's usual 5678 when free, so URLs stay the same between runs. */
async function preferredPort(requested) {
	if (requested) return Number(requested);
	return (await portIsFree(5678)) ? 5678 : await freePort();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class N8nInstance {
	constructor({
		child,
		port,
		host,
		userFolder,
		logFile,
		owner,
		workflows,
		env,
		paths,
		role = 'main',
	}) {
		// Everything a restart needs to run the same n8n again.
		this.options = { port, host, userFolder, owner, workflows, env, paths, role };
		this.role = role;
		this.child = child;
		this.pid = child.pid;
		this.port = port;
		this.userFolder = userFolder;
		this.logFile = logFile;
		this.owner = owner;
		this.workflows = workflows;
		const connectHost = host === '0.0.0.0' ? '127.0.0.1' : host;
		this.baseUrl = `http://${connectHost}:${port}`;
		this.publicUrl = `http://localhost:${port}`;
		this.rest = new N8nRest(this.baseUrl);
		this.killOnExit = () => killGroup(this.pid, 'SIGKILL');
		process.on('exit', this.killOnExit);
	}

	/** The process InstaMed's calls reach: this one (in queue mode, a webhook process). */
	get receiver() {
		return this;
	}

	webhookUrl(webhookPath) {
		return `${this.baseUrl}/webhook/${webhookPath}`;
	}

	testWebhookUrl(webhookPath) {
		return `${this.baseUrl}/webhook-test/${webhookPath}`;
	}

	logTail(lines = 40) {
		return fs.existsSync(this.logFile) ? tail(fs.readFileSync(this.logFile, 'utf8'), lines) : '';
	}

	async waitUntilReady() {
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null || this.child.signalCode !== null) {
				throw new Error(
					`n8n exited during start-up (${this.child.signalCode ?? this.child.exitCode}):\n${this.logTail()}`,
				);
			}
			// /healthz answers once HTTP is up; the ready line comes after workflows are activated.
			const log = fs.readFileSync(this.logFile, 'utf8');
			if (log.includes(ROLES[this.role].readyLine) && (await this.healthy())) return;
			await sleep(200);
		}
		throw new Error(
			`n8n ${this.role} was not ready after ${START_TIMEOUT_MS / 1000} s:\n${this.logTail()}`,
		);
	}

	async healthy() {
		try {
			const res = await fetch(`${this.baseUrl}/healthz`);
			return res.status === 200;
		} catch {
			return false;
		}
	}

	/** SIGTERM to n8n's process group, SIGKILL if it lingers; resolves when the group is gone. */
	async stop({ removeUserFolder = false } = {}) {
		process.removeListener('exit', this.killOnExit);
		killGroup(this.pid, 'SIGTERM');
		if (!(await waitForExit(this.child, STOP_TIMEOUT_MS))) killGroup(this.pid, 'SIGKILL');
		await waitForExit(this.child, STOP_TIMEOUT_MS);
		// Task runners are n8n's children in the same group: make sure none survives it.
		for (let i = 0; i < 50 && groupAlive(this.pid); i++) {
			if (i === 25) killGroup(this.pid, 'SIGKILL');
			await sleep(100);
		}
		fs.rmSync(pidFile(this.pid), { force: true });
		if (removeUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/**
	 * Stops n8n and starts it again on the same user folder, port and environment (so the same
	 * encryption key, workflows and credentials); returns the new instance, logged in as the owner.
	 */
	async restart() {
		const restarted = await this.relaunch();
		try {
			await restarted.ready();
		} catch (error) {
			await restarted.stop();
			throw error;
		}
		return restarted;
	}

	/** restart() without waiting: the new process is starting when this resolves (see ready()). */
	async relaunch() {
		await this.stop();
		const logFile = path.join(this.userFolder, `n8n-restart-${Date.now()}.log`);
		const { env, paths, role } = this.options;
		const child = spawnN8n(paths, env, this.userFolder, logFile, role);
		return new N8nInstance({ ...this.options, child, logFile });
	}

	/** Resolves once a relaunched n8n serves, logged in as the owner for a main process. */
	async ready() {
		await this.waitUntilReady();
		if (this.role === 'main') await this.rest.login(this.owner);
	}
}

/** Starts `n8n start` (or the role's command) in its own process group, logging to `logFile`. */
function spawnN8n(p, env, userFolder, logFile, role = 'main') {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(p.nodeBin, [p.n8nBin, ROLES[role].command], {
		env,
		cwd: userFolder,
		detached: true,
		stdio: ['ignore', out, out],
	});
	fs.closeSync(out);
	// n8n must not keep its caller alive (a test runner waiting on it would never exit); the
	// exit hook and the pid file make sure it does not outlive the caller either.
	child.unref();
	fs.mkdirSync(PID_DIR, { recursive: true });
	fs.writeFileSync(pidFile(child.pid), '');
	return child;
}

async function n8nCli(p, env, args) {
	return await run(p.nodeBin, [p.n8nBin, ...args], { env, cwd: env.N8N_USER_FOLDER });
}

/** Imports credentials (n8n encrypts them) and workflows with n8n's CLI, into n8n's database. */
async function importIntoDatabase(p, env, { credentials, workflows }) {
	const folder = env.N8N_USER_FOLDER;
	if (credentials.length > 0) {
		const file = path.join(folder, 'credentials.json');
		writeJson(file, credentials);
		await n8nCli(p, env, ['import:credentials', `--input=${file}`]);
		fs.rmSync(file);
	}
	if (workflows.length > 0) {
		const file = path.join(folder, 'workflows.json');
		writeJson(
			file,
			// n8n 2.0's import leaves a missing versionId NULL (SQLITE_CONSTRAINT); n8n exports have one.
			workflows.map((workflow) => ({ versionId: randomUUID(), ...withLineTypeVersions(workflow) })),
		);
		await n8nCli(p, env, ['import:workflow', `--input=${file}`]);
	}
}

/**
 * On a running main process: the owner, the data tables, then every workflow published but those
 * whose ids are in `unpublished` (a test publishes those itself, e.g. to see n8n refuse one).
 */
async function setUpThroughRest(instance, { owner, dataTables, workflows, unpublished = [] }) {
	await instance.rest.setupOwner(owner);
	for (const table of dataTables) await instance.rest.ensureDataTable(table.name, table.columns);
	// An n8n whose Data Table node finds no table by name (1.x) is pointed at the tables' ids.
	for (const workflow of workflows) await pointAtTables(instance.rest, workflow.id);
	// Through REST rather than `n8n publish:workflow` before start: one CLI boot (~3 s) less
	// per workflow, and an activation error fails here instead of only being logged.
	for (const workflow of workflows) {
		if (!unpublished.includes(workflow.id)) await instance.rest.publishWorkflow(workflow.id);
	}
}

const DEFAULTS = {
	workflows: [],
	unpublished: [],
	credentials: [],
	dataTables: [],
	env: {},
	host: '127.0.0.1',
	owner: DEFAULT_OWNER,
};

/** startN8n's options with a default for each one left out or undefined. */
function withDefaults(options) {
	const filled = { ...options };
	for (const [name, value] of Object.entries(DEFAULTS)) filled[name] ??= value;
	return filled;
}

/**
 * Starts n8n with this package. Options:
 * - workflows: workflow objects (ids set; see workflows.js), imported, then published
 * - unpublished: ids of workflows to import but leave unpublished
 * - credentials: credential objects ({ id, name, type, data }), imported (encrypted by n8n)
 * - dataTables: [{ name, columns: [{ name, type }] }], created after start, before returning
 * - tarball: a packed package (default: build and pack now)
 * - env: extra environment for n8n; port / host: where to listen (default free port, 127.0.0.1)
 * - owner: { email, firstName, lastName, password } of the owner created on start
 * - queue: { webhooks, workers } starts n8n's queue mode instead (queue.js)
 */
async function startN8n(options = {}) {
	// Required here: queue.js builds on this module's parts.
	if (options.queue) return await require('./queue').startQueueCluster(options);
	const {
		workflows,
		unpublished,
		credentials,
		dataTables,
		env: extraEnv,
		host,
		owner,
	} = withDefaults(options);
	const p = await ensureN8n();
	const tarball = options.tarball ?? (await buildAndPack());
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-n8n-'));
	const port = options.port ?? (await freePort());
	const brokerPort = await freePort();
	const env = n8nEnv({ userFolder, port, brokerPort, host, extra: extraEnv });

	const began = Date.now();
	const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
	await installIntoUserFolder(userFolder, tarball);
	if (!options.tarball) removePackDir(tarball);
	await importIntoDatabase(p, env, { credentials, workflows });

	log(`package installed, credentials and workflows imported after ${elapsed()}`);
	const logFile = path.join(userFolder, 'n8n.log');
	const child = spawnN8n(p, env, userFolder, logFile);
	const instance = new N8nInstance({
		child,
		port,
		host,
		userFolder,
		logFile,
		owner,
		workflows,
		env,
		paths: p,
	});
	try {
		await instance.waitUntilReady();
		log(`n8n up after ${elapsed()}`);
		await setUpThroughRest(instance, { owner, dataTables, workflows, unpublished });
	} catch (error) {
		await instance.stop();
		throw error;
	}
	log(
		`n8n ${instance.baseUrl} ready after ${elapsed()} (pid ${instance.pid}, user folder ${userFolder})`,
	);
	return instance;
}

module.exports = {
	startN8n,
	freePort,
	preferredPort,
	killStrays,
	RUN_ENV,
	DEFAULT_OWNER,
	// For queue.js:
	withDefaults,
	N8nInstance,
	n8nEnv,
	spawnN8n,
	importIntoDatabase,
	setUpThroughRest,
};
