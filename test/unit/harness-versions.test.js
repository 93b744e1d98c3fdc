// What the harness does differently per n8n line (harness/versions.js), on the shipped examples,
// and how a missing system part (nginx, Chromium) is reported.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	versionProfile,
	newestTypeVersion,
	installedDifferences,
	DEFAULT_N8N_VERSION,
} = require('../../harness/versions');
const { withLineTypeVersions, nodesWithTableIds } = require('../../harness/n8n-line');
const { loadExample } = require('../../harness/workflows');

// What harness/versions.js reads from n8n 1.123.81 (and 2.0.3) and from 2.40.7 installed.
const ONE = {
	newestTypeVersions: { 'n8n-nodes-base.dataTable': 1, 'n8n-nodes-base.postgres': 2.6 },
	dataTableByName: false,
};
const TWO = {
	newestTypeVersions: { 'n8n-nodes-base.dataTable': 1.1, 'n8n-nodes-base.postgres': 2.7 },
	dataTableByName: true,
};

const EXAMPLES = fs
	.readdirSync(path.join(__dirname, '..', '..', 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => file.slice(0, -'.json'.length));

describe('n8n versions', () => {
	test('the default is the n8n the project is developed against; any exact 1.x or 2.x is accepted', () => {
		expect(versionProfile(DEFAULT_N8N_VERSION).major).toBe(2);
		expect(versionProfile('1.123.81')).toMatchObject({ major: 1, n8nVersion: '1.123.81' });
	});

	test('the newest typeVersion as n8n node descriptions declare it', () => {
		expect(newestTypeVersion("group: ['input'],\n        version: 1,\n")).toBe(1);
		expect(newestTypeVersion('    version: [1, 1.1],')).toBe(1.1);
		expect(newestTypeVersion('    version: [2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7],')).toBe(2.7);
		expect(newestTypeVersion('')).toBeUndefined();
	});

	test.each(['latest', '2.x', '3.0.0', '1.123'])(
		'N8N_VERSION=%s is refused with the reason',
		(v) => {
			expect(() => versionProfile(v)).toThrow(/N8N_VERSION|knows n8n/);
		},
	);

	test('up to 2.31, xlsx is installed from the registry (n8n names the vendor site)', () => {
		expect(versionProfile('1.123.81').installOverrides).toEqual({ xlsx: '0.18.5' });
		expect(versionProfile('2.40.7').installOverrides).toEqual({});
		expect(versionProfile('2.0.3').installOverrides).toEqual({ xlsx: '0.18.5' });
		expect(versionProfile('2.32.0').installOverrides).toEqual({});
	});
});

describe.each(EXAMPLES)('example %s', (name) => {
	const example = loadExample(name);
	const one = ONE;
	const two = TWO;

	test('2.x imports it unchanged', () => {
		expect(withLineTypeVersions(example, two)).toEqual(example);
		expect(nodesWithTableIds(example, new Map([['instamed_events', 'T1']]), two)).toBeUndefined();
	});

	test('on 1.x no node keeps a typeVersion newer than 1.x has', () => {
		for (const node of withLineTypeVersions(example, one).nodes) {
			const newest = one.newestTypeVersions[node.type];
			if (newest !== undefined) expect(node.typeVersion).toBeLessThanOrEqual(newest);
		}
	});

	test('on 1.x every Data Table reference by name points at the created table id', () => {
		const nodes = nodesWithTableIds(example, new Map([['instamed_events', 'T1']]), one) ?? [];
		for (const node of nodes.filter((n) => n.type === 'n8n-nodes-base.dataTable')) {
			expect(node.parameters.dataTableId).toMatchObject({ mode: 'id', value: 'T1' });
		}
		const byName = example.nodes.filter((n) => n.parameters?.dataTableId?.mode === 'name');
		expect(nodes.length > 0).toBe(byName.length > 0);
	});
});

test('on 1.x a table deleted and created again (a new id) is pointed at again; an unchanged one is left', () => {
	const one = ONE;
	const example = loadExample('instamed-to-data-table');
	const first = {
		...example,
		nodes: nodesWithTableIds(example, new Map([['instamed_events', 'T1']]), one),
	};
	expect(nodesWithTableIds(first, new Map([['instamed_events', 'T1']]), one)).toBeUndefined();
	const again = nodesWithTableIds(first, new Map([['instamed_events', 'T2']]), one);
	const store = again.find((node) => node.type === 'n8n-nodes-base.dataTable');
	expect(store.parameters.dataTableId).toMatchObject({
		mode: 'id',
		value: 'T2',
		cachedResultName: 'instamed_events',
	});
});

// @n8n/config's SqliteConfig as n8n 1.123.81 and 2.40.7 compile it (abridged to the constructor).
const SQLITE_CONFIG = {
	1: `let SqliteConfig = class SqliteConfig {
    constructor() {
        this.database = 'database.sqlite';
        this.poolSize = 0;
        this.enableWAL = this.poolSize > 1;
        this.executeVacuumOnStartup = false;
    }
};`,
	2: `let SqliteConfig = class SqliteConfig {
    constructor() {
        this.database = 'database.sqlite';
        this.poolSize = 3;
        this.executeVacuumOnStartup = false;
    }
};`,
};

test.each([
	[1, false],
	[2, true],
])("n8n %i.x: SQLite pooled by default is %s (read from n8n's config)", (major, pooled) => {
	const n8nDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-line-'));
	const configs = path.join(n8nDir, 'node_modules', '@n8n', 'config', 'dist', 'configs');
	fs.mkdirSync(configs, { recursive: true });
	fs.writeFileSync(path.join(configs, 'database.config.js'), SQLITE_CONFIG[major]);
	expect(installedDifferences(n8nDir).sqlitePooledByDefault).toBe(pooled);
	fs.rmSync(n8nDir, { recursive: true });
});

describe('system parts', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
		jest.resetModules();
	});

	function parts(env) {
		Object.assign(process.env, { INSTAMED_HARNESS_RUN: `unit-${process.pid}` }, env);
		for (const [key, value] of Object.entries(env))
			if (value === undefined) delete process.env[key];
		return require('../../harness/system-parts');
	}

	test('a part whose path is set to no executable counts as absent; its tests skip, one line says so', () => {
		const { skipWithout, skippedSummary } = parts({
			INSTAMED_NGINX: path.join(os.tmpdir(), 'no-such-nginx'),
			INSTAMED_REQUIRE_SYSTEM_PARTS: undefined,
		});
		expect(skipWithout('nginx', 'a.test.js')).toBe(true);
		expect(skipWithout('nginx', 'b.test.js')).toBe(true);
		const line = skippedSummary();
		expect(line).toContain('a.test.js, b.test.js');
		expect(line).toContain('sudo apt-get install nginx-light');
		expect(line.split('\n')).toHaveLength(1);
		expect(skippedSummary()).toBeUndefined();
	});

	test('INSTAMED_REQUIRE_SYSTEM_PARTS=1: nothing skips, and asking for the part fails with the install command', () => {
		const { skipWithout, requirePart } = parts({
			CHROMIUM: path.join(os.tmpdir(), 'no-such-chromium'),
			INSTAMED_REQUIRE_SYSTEM_PARTS: '1',
		});
		expect(skipWithout('chromium', 'the editor test')).toBe(false);
		expect(() => requirePart('chromium')).toThrow('sudo apt-get install chromium');
	});

	test('a part that is there is found and nothing skips', () => {
		const { locate, skipWithout } = parts({ INSTAMED_NGINX: process.execPath });
		expect(locate('nginx')).toBe(process.execPath);
		expect(skipWithout('nginx', 'a.test.js')).toBe(false);
	});
});
