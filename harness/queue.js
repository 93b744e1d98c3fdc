// n8n's queue mode, as users scale it: a main process (editor, REST, publishing), `n8n webhook`
// processes that receive the calls and run the trigger, `n8n worker` processes that run the rest
// of each workflow, Redis between them and Postgres as n8n's database.
//
// Each process has its own user folder with this package installed from its tarball (n8n loads
// community nodes per process), and all share one encryption key, one database of this cluster
// only (created here, dropped on stop) and one Redis key prefix of their own on the machine's Redis.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { ensureN8n } = require('./install');
const { buildAndPack, installIntoUserFolder, removePackDir } = require('./package');
const { createDatabase, dropDatabase, n8nDatabaseEnv, postgresConfig } = require('./postgres');
const { redisAddress, deleteKeysWithPrefix } = require('./redis');
const { log } = require('./process');
const {
	N8nInstance,
	freePort,
	importIntoDatabase,
	n8nEnv,
	setUpThroughRest,
	spawnN8n,
	withDefaults,
} = require('./n8n');

/** Environment every process of one cluster shares (n8n 2.40.7 @n8n/config names). */
function clusterEnv({ database, prefix, encryptionKey, postgres, redis }) {
	return {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: encryptionKey,
		...n8nDatabaseEnv(postgres, database),
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// Jobs and n8n's pub/sub channels both under this cluster's own prefix.
		QUEUE_BULL_PREFIX: `${prefix}-bull`,
		N8N_REDIS_KEY_PREFIX: prefix,
	};
}

class N8nQueueCluster {
	constructor({ main, webhooks, workers, database, prefix, postgres, redis }) {
		this.main = main;
		this.webhooks = webhooks;
		this.workers = workers;
		this.database = database;
		this.prefix = prefix;
		this.postgresConfig = postgres;
		this.redisAddress = redis;
		this.queue = true;
	}

	// The main process answers the editor, REST and test webhooks, as one n8n does.
	get baseUrl() {
		return this.main.baseUrl;
	}
	get publicUrl() {
		return this.main.publicUrl;
	}
	get rest() {
		return this.main.rest;
	}
	get owner() {
		return this.main.owner;
	}
	get workflows() {
		return this.main.workflows;
	}
	get userFolder() {
		return this.main.userFolder;
	}
	get logFile() {
		return this.main.logFile;
	}
	get pid() {
		return this.main.pid;
	}
	get child() {
		return this.main.child;
	}

	/** The process InstaMed's calls reach: the first webhook process. */
	get receiver() {
		return this.webhooks[0];
	}

	processes() {
		return [this.main, ...this.webhooks, ...this.workers];
	}

	webhookUrl(webhookPath) {
		return this.receiver.webhookUrl(webhookPath);
	}

	testWebhookUrl(webhookPath) {
		return this.main.testWebhookUrl(webhookPath);
	}

	logTail(lines = 40) {
		return this.processes()
			.map(
				(member) =>
					`--- ${member.role} ${member.pid} (${member.logFile})\n${member.logTail(lines)}`,
			)
			.join('\n');
	}

	async healthy() {
		const answers = await Promise.all(this.processes().map((member) => member.healthy()));
		return answers.every(Boolean);
	}

	/** SIGKILL to a worker's process group: its running jobs die with it. */
	killWorker(index) {
		process.kill(-this.workers[index].pid, 'SIGKILL');
	}

	/** Starts worker `index` again (after killWorker, or stops it first). */
	async restartWorker(index) {
		this.workers[index] = await this.workers[index].restart();
		return this.workers[index];
	}

	async restartWebhook(index) {
		this.webhooks[index] = await this.webhooks[index].restart();
		return this.webhooks[index];
	}

	/** Every process stopped, then the cluster's database dropped and its Redis keys deleted. */
	async stop({ removeUserFolder = false } = {}) {
		await Promise.all(this.processes().map((member) => member.stop({ removeUserFolder })));
		await dropDatabase(this.postgresConfig, this.database);
		await deleteKeysWithPrefix(this.prefix, this.redisAddress);
	}
}

/** A process of the cluster in a fresh user folder with the package installed, not started yet. */
async function prepareProcess({ role, tarball, sharedEnv, host }) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `instamed-n8n-${role}-`));
	const port = await freePort();
	const brokerPort = await freePort();
	const extra = { ...sharedEnv };
	if (role === 'worker') {
		// A worker serves no HTTP but n8n's health check, on this port.
		Object.assign(extra, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
		});
	}
	await installIntoUserFolder(userFolder, tarball);
	return {
		role,
		userFolder,
		port,
		host,
		env: n8nEnv({ userFolder, port, brokerPort, host, extra }),
	};
}

async function launch(p, prepared, { owner, workflows }) {
	const logFile = path.join(prepared.userFolder, `n8n-${prepared.role}.log`);
	const child = spawnN8n(p, prepared.env, prepared.userFolder, logFile, prepared.role);
	const instance = new N8nInstance({ ...prepared, child, logFile, owner, workflows, paths: p });
	try {
		await instance.waitUntilReady();
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return instance;
}

/**
 * Starts a queue-mode cluster with this package: the options of startN8n, plus
 * queue: { webhooks = 1, workers = 2 }. Resolves once every process serves and every workflow
 * is published; the result has startN8n's interface (baseUrl, rest, webhookUrl, stop...) with
 * webhook URLs pointing at the first webhook process.
 */
async function startQueueCluster(options) {
	const {
		workflows,
		unpublished,
		credentials,
		dataTables,
		env: extraEnv,
		host,
		owner,
	} = withDefaults(options);
	const { webhooks: webhookCount = 1, workers: workerCount = 2 } = options.queue;
	const began = Date.now();
	const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
	const p = await ensureN8n();
	const tarball = options.tarball ?? (await buildAndPack());
	const id = randomBytes(5).toString('hex');
	const database = `instamed_n8n_queue_${id}`;
	const prefix = `instamed-queue-${id}`;
	const postgres = postgresConfig();
	const redis = redisAddress();
	const sharedEnv = {
		...clusterEnv({
			database,
			prefix,
			encryptionKey: randomBytes(24).toString('hex'),
			postgres,
			redis,
		}),
		...extraEnv,
	};
	await createDatabase(postgres, database);
	const started = [];
	try {
		const roles = [
			'main',
			...Array(webhookCount).fill('webhook'),
			...Array(workerCount).fill('worker'),
		];
		const prepared = await Promise.all(
			roles.map((role) => prepareProcess({ role, tarball, sharedEnv, host })),
		);
		if (!options.tarball) removePackDir(tarball);
		const [mainPrepared, ...others] = prepared;
		await importIntoDatabase(p, mainPrepared.env, { credentials, workflows });
		log(
			`queue mode: package installed in ${prepared.length} user folders, imported after ${elapsed()}`,
		);

		const main = await launch(p, mainPrepared, { owner, workflows });
		started.push(main);
		await setUpThroughRest(main, { owner, dataTables, workflows, unpublished });
		// Webhook processes and workers after publishing: they find the published workflows
		// in the database as they start.
		const rest = await Promise.all(others.map((each) => launch(p, each, { owner, workflows })));
		started.push(...rest);
		const cluster = new N8nQueueCluster({
			main,
			webhooks: rest.filter((member) => member.role === 'webhook'),
			workers: rest.filter((member) => member.role === 'worker'),
			database,
			prefix,
			postgres,
			redis,
		});
		log(
			`queue mode ready after ${elapsed()}: main ${main.baseUrl}, webhook ${cluster.receiver.baseUrl}, ${workerCount} workers, database ${database}, Redis prefix ${prefix}`,
		);
		return cluster;
	} catch (error) {
		await Promise.all(started.map((member) => member.stop()));
		await dropDatabase(postgres, database);
		await deleteKeysWithPrefix(prefix, redis);
		throw error;
	}
}

module.exports = { startQueueCluster, N8nQueueCluster };
