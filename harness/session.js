// Starts n8n for people (the demo and the shell CLI): any workflow files, with the credentials and
// storage they reference set up automatically, and prints where everything is.
const { randomBytes } = require('node:crypto');
const { startN8n } = require('./n8n');
const { EVENTS_TABLE, prepareWorkflow, readWorkflow, webhookPath } = require('./workflows');
const {
	ensureEventsTable,
	postgresConfig,
	postgresCredential,
	postgresUnavailableReason,
} = require('./postgres');
const { log } = require('./process');
const { credential } = require('./credentials');

function credentialRefs(workflows) {
	const refs = new Map();
	for (const workflow of workflows) {
		for (const node of workflow.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				refs.set(ref.id, { ...ref, type });
			}
		}
	}
	return [...refs.values()];
}

function usesEventsTable(workflows) {
	return workflows.some((workflow) =>
		workflow.nodes.some(
			(node) =>
				node.type === 'n8n-nodes-base.dataTable' &&
				node.parameters.dataTableId?.value === EVENTS_TABLE.name,
		),
	);
}

/**
 * Credentials for every reference the workflows make that this harness knows how to fill;
 * references the caller already provides (`provided`, by id) are left to the caller's.
 */
async function credentialsFor(workflows, basic, provided = []) {
	const credentials = [];
	const providedIds = new Set(provided.map((credential) => credential.id));
	for (const ref of credentialRefs(workflows)) {
		if (providedIds.has(ref.id)) continue;
		if (ref.type === 'instaMedBasicApi') {
			credentials.push(credential(ref, basic));
		} else if (ref.type === 'postgres') {
			const reason = await postgresUnavailableReason();
			if (reason) throw new Error(`The workflow stores into Postgres, but ${reason}`);
			await ensureEventsTable();
			credentials.push(postgresCredential(ref, postgresConfig()));
		} else {
			log(
				`credential "${ref.name}" (${ref.type}, id ${ref.id}) is not created here: add it in the editor, or pass it with --credentials`,
			);
		}
	}
	return credentials;
}

function newBasicCredentials() {
	return { username: 'instamed-demo', password: randomBytes(9).toString('base64url') };
}

/**
 * Starts n8n with the given workflow files and everything they need.
 * Options: files, port, host, basic ({ username, password }), env, extraCredentials, and
 * queue ({ webhooks, workers }) for n8n's queue mode.
 */
async function startSession({
	files,
	port,
	host,
	basic = newBasicCredentials(),
	env,
	extraCredentials = [],
	queue,
}) {
	const workflows = files.map((file) => prepareWorkflow(readWorkflow(file)));
	const credentials = [
		...(await credentialsFor(workflows, basic, extraCredentials)),
		...extraCredentials,
	];
	const dataTables = usesEventsTable(workflows) ? [EVENTS_TABLE] : [];
	const n8n = await startN8n({ workflows, credentials, dataTables, port, host, env, queue });
	const usesBasic = credentials.some((credential) => credential.type === 'instaMedBasicApi');
	return { n8n, workflows, basic: usesBasic ? basic : undefined };
}

function webhookUrls(n8n, workflow) {
	const urlPath = webhookPath(workflow);
	return {
		production: `${n8n.receiver.publicUrl}/webhook/${urlPath}`,
		test: `${n8n.publicUrl}/webhook-test/${urlPath}`,
	};
}

function printSession({ n8n, workflows, basic }) {
	const lines = [
		'',
		`n8n is running: ${n8n.publicUrl}  (editor)`,
		`  owner login: ${n8n.owner.email} / ${n8n.owner.password}`,
		`  n8n log: ${n8n.logFile}`,
	];
	if (n8n.queue) {
		lines.push(
			`  queue mode: webhook process ${n8n.receiver.publicUrl}, ${n8n.workers.length} workers; logs:`,
			...n8n
				.processes()
				.slice(1)
				.map((member) => `    ${member.role}: ${member.logFile}`),
		);
	}
	for (const workflow of workflows) {
		lines.push(`workflow "${workflow.name}" (${workflow.id}), published:`);
		const url = webhookUrls(n8n, workflow);
		lines.push(`  webhook: POST ${url.production}`);
		lines.push(`  test URL (after "Execute workflow" in the editor): ${url.test}`);
	}
	if (basic) lines.push(`InstaMed Basic credentials: ${basic.username} / ${basic.password}`);
	console.log(lines.join('\n'));
}

/**
 * Keeps the process alive until Ctrl-C / SIGTERM, then stops n8n and exits; the user folder
 * (database, log) goes with it unless `keep`.
 */
function stopOnSignal(n8n, { keep = false } = {}) {
	// Held on purpose: this process lives as long as n8n does.
	n8n.child.ref();
	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n`);
		await n8n.stop({ removeUserFolder: !keep });
		log(keep ? `n8n stopped; kept ${n8n.userFolder}` : 'n8n stopped');
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	n8n.child.once('exit', (code, signal) => {
		if (stopping) return;
		log(`n8n exited on its own (${signal || code}); see ${n8n.logFile}`);
		process.exit(1);
	});
}

module.exports = { startSession, printSession, stopOnSignal, webhookUrls, newBasicCredentials };
