#!/usr/bin/env node
// Shell form of the harness: start a real n8n with this package and any workflow files.
//
//   node harness/cli.js install
//   node harness/cli.js start --workflow examples/instamed-to-data-table.json [--workflow ...]
//       [--port 5678] [--host 0.0.0.0] [--user <name> --password <secret>] [--env KEY=VALUE ...]
//       [--credentials <file.json>] [--keep] [--queue [--webhooks 1] [--workers 2]]
//
// `start` builds and packs the package, installs it into a fresh n8n user folder, imports and
// publishes the workflows, creates the credentials they reference (InstaMed Basic with the given
// or a generated password, Postgres from PG* variables) and the `instamed_events` data table,
// prints the URLs and logins, and stops n8n on Ctrl-C (removing its user folder unless --keep).
// --queue runs n8n's queue mode: main, webhook processes, workers, Redis on 127.0.0.1:6379 (or
// REDIS_HOST/REDIS_PORT) and a Postgres database of its own (PG* variables), dropped on stop.
// On a fresh clone: install the dev dependencies and build first (Node builtins only).
require('../scripts/bootstrap').ensureReady();
const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { ensureN8n } = require('./install');
const { preferredPort } = require('./n8n');
const { startSession, printSession, stopOnSignal, newBasicCredentials } = require('./session');

const USAGE = `Usage:
  node harness/cli.js install
  node harness/cli.js start --workflow <file.json> [--workflow <file.json> ...]
      [--port <port>] [--host <address>] [--user <name> --password <secret>]
      [--env KEY=VALUE ...] [--credentials <file.json>] [--keep]
      [--queue [--webhooks <n>] [--workers <n>]]

--queue: n8n's queue mode (main + webhook processes + workers, Redis, Postgres as n8n's
  database); webhooks are posted to the first webhook process, printed below the editor URL.

--credentials: a JSON array of credentials, each { "id", "name", "type", "data" } with "data"
  in plain text (n8n encrypts it on import). A workflow node refers to one by its id, e.g.
  [{ "id": "instamedOAuth01", "name": "InstaMed OAuth2", "type": "instaMedOAuth2Api",
     "data": { "validation": "jwt", "jwksUrl": "https://sso.example.com/pf/JWKS",
               "issuer": "https://sso.example.com", "audience": "https://n8n.example.com" } }]
  The field names of "data" are the credential's parameter names (see credentials/*.ts).`;

/** Reads and checks the --credentials file: a list of { id, name, type, data }. */
function readCredentials(file) {
	const list = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (!Array.isArray(list)) throw new Error(`${file}: --credentials needs a JSON array`);
	list.forEach((credential, index) => {
		for (const key of ['id', 'name', 'type']) {
			if (typeof credential?.[key] !== 'string' || credential[key] === '') {
				throw new Error(`${file}: credential ${index} needs a string "${key}"`);
			}
		}
		if (typeof credential.data !== 'object' || credential.data === null) {
			throw new Error(`${file}: credential ${index} needs an object "data"`);
		}
	});
	return list;
}

function parseEnv(list) {
	return Object.fromEntries(
		list.map((pair) => {
			const at = pair.indexOf('=');
			if (at < 1) throw new Error(`--env needs KEY=VALUE, got "${pair}"`);
			return [pair.slice(0, at), pair.slice(at + 1)];
		}),
	);
}

async function start(values) {
	if (values.workflow.length === 0) throw new Error('start needs at least one --workflow file');
	const basic =
		values.user !== undefined
			? { username: values.user, password: values.password ?? '' }
			: newBasicCredentials();
	const extraCredentials = values.credentials ? readCredentials(values.credentials) : [];
	const session = await startSession({
		files: values.workflow,
		port: await preferredPort(values.port),
		host: values.host,
		basic,
		env: parseEnv(values.env),
		extraCredentials,
		queue: values.queue
			? { webhooks: Number(values.webhooks), workers: Number(values.workers) }
			: undefined,
	});
	printSession(session);
	console.log('\nPress Ctrl-C to stop n8n.');
	stopOnSignal(session.n8n, { keep: values.keep });
}

async function main(argv) {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			workflow: { type: 'string', multiple: true, default: [] },
			port: { type: 'string' },
			host: { type: 'string', default: '127.0.0.1' },
			user: { type: 'string' },
			password: { type: 'string' },
			env: { type: 'string', multiple: true, default: [] },
			credentials: { type: 'string' },
			keep: { type: 'boolean', default: false },
			queue: { type: 'boolean', default: false },
			webhooks: { type: 'string', default: '1' },
			workers: { type: 'string', default: '2' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	const [command] = positionals;
	if (values.help || !['install', 'start'].includes(command)) {
		console.log(USAGE);
		process.exit(values.help ? 0 : 2);
	}
	if (command === 'install') {
		const p = await ensureN8n();
		console.log(`n8n installed in ${p.n8nDir}`);
		return;
	}
	await start(values);
}

main(process.argv.slice(2)).catch((error) => {
	console.error(error.message);
	process.exit(1);
});
