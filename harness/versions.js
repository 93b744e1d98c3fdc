// The one place that says which n8n the harness runs and what differs between n8n versions.
// `N8N_VERSION=<version>` selects another n8n (installed once into its own cache folder);
// the default is the n8n the project is developed against. Node comes from the npm registry
// (node-<os>-<arch> packages), so a fresh machine needs nothing but npm.
//
// What must be known before installing (Node, npm overrides) goes by version number. What differs
// once installed is read from the installed n8n itself (DIFFERENCES: each probe names the file it
// reads), so any version works without a list of version numbers; the probes were checked on
// n8n 1.123.81, 2.0.3, 2.40.7 and 2.41.1 (2.0.3 is like 1.123.81 in every one).
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_N8N_VERSION = '2.40.7';

// n8n's package.json engines.node: 1.123.81 and 2.0.3 ">=20.19 <= 24.x", 2.35 ">=22.22",
// 2.36+ ">=24.0.0". One Node serves them all.
const NODE_VERSION = '24.9.0';

// npm overrides for the n8n install, by version: n8n-nodes-base takes xlsx from its vendor's own
// tarball site (cdn.sheetjs.com), which the registries here do not serve, in n8n 1.x and 2.x up to
// 2.31 (checked: 1.123.81, 2.0.3 and 2.31.0 name the URL; 2.30.5 and 2.32.0+ have no xlsx).
// Where n8n has no such dependency the override changes nothing.
const INSTALL_OVERRIDES = [{ below: '2.32.0', overrides: { xlsx: '0.18.5' } }];

function read(modules, file) {
	try {
		return fs.readFileSync(path.join(modules, file), 'utf8');
	} catch {
		return '';
	}
}

/** The highest typeVersion a node description declares (`version: 1` or `version: [1, 1.1]`). */
function newestTypeVersion(source) {
	const match = /\bversion: (\[[\d., ]+\]|[\d.]+)/.exec(source);
	return match ? Math.max(...JSON.parse(`[${match[1].replace(/[[\]]/g, '')}]`)) : undefined;
}

const DATA_TABLE = 'n8n-nodes-base/dist/nodes/DataTable';

/** Each difference, read from an installed n8n's node_modules folder. */
const DIFFERENCES = {
	// N8N_DISABLED_MODULES: the MCP registry's refresh calls api.n8n.io and logs a stack trace when
	// offline; an n8n without the module (1.x, 2.0.3) exits on its name (`Unknown module`).
	disabledModules: (modules) =>
		fs.existsSync(path.join(modules, 'n8n/dist/modules/mcp-registry')) ? ['mcp-registry'] : [],
	// Whether n8n's SQLite has a connection pool by default. n8n 1.x defaults to one connection
	// (@n8n/config `SqliteConfig.poolSize = 0`, the legacy `sqlite` driver), on which concurrent
	// Data Table writes interleave their savepoints: `SQLITE_ERROR: no such savepoint: typeorm_N`,
	// `cannot commit - no transaction is active`, then `near "-": syntax error` (n8n issues
	// 20805, 20916, 21342; docs/compatibility.md). 2.x always pools (3 connections, WAL).
	sqlitePooledByDefault: (modules) =>
		!/SqliteConfig \{\s*constructor\(\) \{[^}]*this\.poolSize = 0;/.test(
			read(modules, '@n8n/config/dist/configs/database.config.js'),
		),
	// The newest typeVersion of the n8n nodes the examples use (the harness lowers newer ones:
	// Data Table 1.1 only adds dates as Date objects in Get rows, Postgres 2.7 nothing the examples
	// use). 1.123.81 / 2.0.3: Data Table 1, Postgres 2.6; 2.40.7: 1.1 and 2.7.
	newestTypeVersions: (modules) => ({
		'n8n-nodes-base.dataTable': newestTypeVersion(read(modules, `${DATA_TABLE}/DataTable.node.js`)),
		'n8n-nodes-base.postgres': newestTypeVersion(
			read(modules, 'n8n-nodes-base/dist/nodes/Postgres/v2/actions/versionDescription.js'),
		),
	}),
	// Whether the Data Table node finds a table By Name (resource locator mode 'name'); where not,
	// the harness points it at the created table's id.
	dataTableByName: (modules) =>
		read(modules, `${DATA_TABLE}/common/fields.js`).includes("name: 'name'"),
	// n8n bugs that answered 2xx to a run that stored nothing (docs/compatibility.md), true where
	// this n8n has the bug. 21827/25340 (regular mode): a run ending without a response resolved
	// the response with `{}` (200, no body) until n8n resolved EXECUTION_ENDED_WITHOUT_RESPONSE
	// instead (dist/active-executions.js, dist/webhooks/constants.js). 17040 (queue mode): a failed
	// run answered 200 until PR 21981 made job-finished answer 500 'Workflow execution failed'
	// (dist/scaling/scaling.service.js).
	bugs: (modules) => ({
		'n8n#21827': !read(modules, 'n8n/dist/webhooks/constants.js').includes(
			'EXECUTION_ENDED_WITHOUT_RESPONSE',
		),
		'n8n#17040': !read(modules, 'n8n/dist/scaling/scaling.service.js').includes(
			'Workflow execution failed',
		),
	}),
};

/** What differs in the n8n installed in `n8nDir` (install.js paths().n8nDir). */
function installedDifferences(n8nDir) {
	const modules = path.join(n8nDir, 'node_modules');
	return Object.fromEntries(
		Object.entries(DIFFERENCES).map(([name, probe]) => [name, probe(modules)]),
	);
}

function parseVersion(version) {
	const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
	if (!match)
		throw new Error(`N8N_VERSION must be an exact version like 1.123.81, not "${version}"`);
	return match.slice(1).map(Number);
}

function compareVersions(a, b) {
	const [x, y] = [parseVersion(a), parseVersion(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

function installOverrides(version) {
	const applying = INSTALL_OVERRIDES.filter((rule) => compareVersions(version, rule.below) < 0);
	return Object.assign({}, ...applying.map((rule) => rule.overrides));
}

/** What the harness needs to know about one n8n version before installing it. */
function versionProfile(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION) {
	const [major] = parseVersion(version);
	if (major < 1 || major > 2) throw new Error(`n8n ${version}: the harness knows n8n 1.x and 2.x`);
	return {
		n8nVersion: version,
		major,
		nodeVersion: NODE_VERSION,
		installOverrides: installOverrides(version),
	};
}

const selected = versionProfile();

module.exports = {
	DEFAULT_N8N_VERSION,
	N8N_VERSION: selected.n8nVersion,
	NODE_VERSION: selected.nodeVersion,
	selected,
	versionProfile,
	installedDifferences,
	newestTypeVersion,
	compareVersions,
};
