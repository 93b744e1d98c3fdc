// The one place that says which n8n the harness runs and what differs between n8n versions.
// `N8N_VERSION=<version>` selects another n8n (installed once into its own cache folder);
// the default is the n8n the project is developed against. Node comes from the npm registry
// (node-<os>-<arch> packages), so a fresh machine needs nothing but npm.
const DEFAULT_N8N_VERSION = '2.40.7';

// Per major line, from oldest to newest: what the harness must do differently on each.
// - nodeVersion: the Node n8n runs on (n8n's package.json engines.node).
// - disabledModules: N8N_DISABLED_MODULES; a module the line does not know makes n8n exit.
// - installOverrides: npm overrides for the n8n install (dependencies the registry cannot serve).
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
		// xlsx's range points at its vendor's own tarball site, which the registry does not serve.
		installOverrides: { xlsx: '0.18.5' },
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
		installOverrides: {},
		newestTypeVersions: {},
		dataTableByName: true,
		testRunBody: 'trigger',
	},
];

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
	return { n8nVersion: version, major, ...line };
}

const selected = versionProfile();

module.exports = {
	DEFAULT_N8N_VERSION,
	N8N_VERSION: selected.n8nVersion,
	NODE_VERSION: selected.nodeVersion,
	selected,
	versionProfile,
	parseVersion,
};
