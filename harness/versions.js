// The one place that says which n8n the harness runs and what differs between n8n versions.
// `N8N_VERSION=<version>` selects another n8n (installed once into its own cache folder);
// the default is the n8n the project is developed against. Node comes from the npm registry
// (node-<os>-<arch> packages), so a fresh machine needs nothing but npm.
const DEFAULT_N8N_VERSION = '2.40.7';

// Per major line, from oldest to newest: what the harness must do differently on each.
// - nodeVersion: the Node n8n runs on (n8n's package.json engines.node).
// - disabledModules: N8N_DISABLED_MODULES; a module the line does not know makes n8n exit.
// - newestTypeVersions: n8n-nodes-base nodes whose newest typeVersion on this line is below the
//   one the examples use; the harness lowers them when importing (the newer ones add nothing the
//   examples rely on).
// - dataTableByName: whether the Data Table node finds a table by name (resource locator mode
//   'name'); where not, the harness points the node at the created table's id.
// - testRunBody: what POST /rest/workflows/:id/run takes to arm a test webhook: 'workflowData'
//   (the whole workflow, as 1.x's editor sends) or 'trigger' (2.x's ManualRunDto, the stored one).
const LINES = [
	{
		major: 1,
		// n8n 1.123.81 package.json: engines.node ">=20.19 <= 24.x".
		nodeVersion: '24.9.0',
		// 1.x knows no mcp-registry module (n8n exits: Unknown module "mcp-registry").
		disabledModules: [],
		// n8n-nodes-base 1.123.81: DataTable.node.js version 1 (2.x adds 1.1: dates as Date objects
		// in Get rows), Postgres v2 up to 2.6.
		newestTypeVersions: { 'n8n-nodes-base.dataTable': 1, 'n8n-nodes-base.postgres': 2.6 },
		// n8n-nodes-base 1.123.81 DataTable/common/fields.js: modes 'list' and 'id' only.
		dataTableByName: false,
		// n8n 1.123.81 workflows.controller.js runManually reads req.body.workflowData.id.
		testRunBody: 'workflowData',
	},
	{
		major: 2,
		// n8n 2.36+ package.json: engines.node ">=24.0.0".
		nodeVersion: '24.9.0',
		// The MCP registry refresh calls api.n8n.io and logs a stack trace when offline.
		disabledModules: ['mcp-registry'],
		newestTypeVersions: {},
		dataTableByName: true,
		testRunBody: 'trigger',
	},
];

// n8n bugs that answered 2xx to a run that stored nothing, with the n8n versions whose code was
// read for each (docs/compatibility.md); test/e2e/n8n-bugs.test.js pins them on the n8n it runs.
const N8N_BUGS = {
	// Response-node mode: a run that failed before its responding step was answered 200 with no
	// body (n8n's dist/active-executions.js resolveExecutionResponsePromise resolved `{}`; fixed by
	// PR 37006 with EXECUTION_ENDED_WITHOUT_RESPONSE). Regular mode only: in queue mode the
	// worker's job-finished message (PR 21981, issue 17040) answers a failed run 500.
	'n8n#21827': { affected: ['1.123.81'], fixed: ['2.40.7', '2.41.1'], modes: ['regular'] },
};

/** true / false where the version's code was read for that bug, undefined where it was not. */
function hasN8nBug(bug, version, mode) {
	const { affected, fixed, modes } = N8N_BUGS[bug];
	if (fixed.includes(version) || !modes.includes(mode)) return false;
	return affected.includes(version) ? true : undefined;
}

// npm overrides for the n8n install, by version: n8n-nodes-base takes xlsx from its vendor's own
// tarball site (cdn.sheetjs.com), which the registries here do not serve, in n8n 1.x and 2.x up to
// 2.31 (checked: 1.123.81, 2.0.3 and 2.31.0 name the URL; 2.30.5 and 2.32.0+ have no xlsx).
// Where n8n has no such dependency the override changes nothing.
const INSTALL_OVERRIDES = [{ below: '2.32.0', overrides: { xlsx: '0.18.5' } }];

function compareVersions(a, b) {
	const [x, y] = [parseVersion(a), parseVersion(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

function installOverrides(version) {
	const applying = INSTALL_OVERRIDES.filter((rule) => compareVersions(version, rule.below) < 0);
	return Object.assign({}, ...applying.map((rule) => rule.overrides));
}

function parseVersion(version) {
	const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
	if (!match)
		throw new Error(`N8N_VERSION must be an exact version like 1.123.81, not "${version}"`);
	return match.slice(1).map(Number);
}

/** What the harness needs to know about one n8n version. */
function versionProfile(version = process.env.N8N_VERSION || DEFAULT_N8N_VERSION) {
	const [major] = parseVersion(version);
	const line = LINES.find((entry) => entry.major === major);
	if (!line)
		throw new Error(
			`n8n ${version}: the harness knows n8n ${LINES.map((l) => `${l.major}.x`).join(' and ')}`,
		);
	return { n8nVersion: version, major, ...line, installOverrides: installOverrides(version) };
}

const selected = versionProfile();

module.exports = {
	DEFAULT_N8N_VERSION,
	N8N_VERSION: selected.n8nVersion,
	NODE_VERSION: selected.nodeVersion,
	selected,
	versionProfile,
	parseVersion,
	hasN8nBug,
	compareVersions,
};
