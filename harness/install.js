// Installs the pinned Node and n8n into a cache outside the repo, once per version.
// A folder counts as installed only when its marker file exists: the marker is written last,
// so an interrupted install is wiped and redone instead of being trusted half-done.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { N8N_VERSION, NODE_VERSION, DEFAULT_N8N_VERSION, selected } = require('./versions');
const { run, log } = require('./process');

const MARKER = '.installed';

function cacheRoot() {
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-instamed');
}

function nodePackageName() {
	const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
	if (!arch || !['linux', 'darwin'].includes(process.platform)) {
		throw new Error(`No Node ${NODE_VERSION} package for ${process.platform}-${process.arch}`);
	}
	return `node-${process.platform}-${arch}`;
}

function paths() {
	const root = cacheRoot();
	const nodeDir = path.join(root, `node-${NODE_VERSION}`);
	// sqlite3 is compiled against this Node's ABI, so the n8n folder is keyed by both versions.
	const n8nDir = path.join(root, `n8n-${N8N_VERSION}-node-${NODE_VERSION}`);
	return {
		root,
		nodeDir,
		nodeHome: path.join(nodeDir, 'package'),
		nodeBin: path.join(nodeDir, 'package', 'bin', 'node'),
		n8nDir,
		n8nBin: path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

// n8n's own dependencies float within their ranges; a lockfile pins them, so every machine
// runs the n8n the tests were written against (one per n8n version; the default version's keeps its
// plain name). Delete it to resolve afresh (the install writes a new one here).
const N8N_LOCKFILE = path.join(
	__dirname,
	N8N_VERSION === DEFAULT_N8N_VERSION
		? 'n8n-runtime.lock.json'
		: `n8n-runtime-${N8N_VERSION}.lock.json`,
);

function lockfileHash() {
	if (!fs.existsSync(N8N_LOCKFILE)) return 'none';
	return createHash('sha256').update(fs.readFileSync(N8N_LOCKFILE)).digest('hex').slice(0, 16);
}

// What a folder was installed from: one installed from other versions or another lockfile is redone.
const nodeMarker = () => `v${NODE_VERSION}\n`;
const n8nMarker = () => `n8n ${N8N_VERSION} on Node ${NODE_VERSION}, lockfile ${lockfileHash()}\n`;

function isInstalled(dir, expected) {
	const marker = path.join(dir, MARKER);
	return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === expected;
}

function freshDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
}

// npm flags that keep installs quiet and independent of the caller's npmrc.
const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error', '--update-notifier=false'];

// A registry connection can hang without npm noticing; a stuck install is killed and tried again
// (npm reuses what it already downloaded).
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const INSTALL_ATTEMPTS = 2;

async function withRetry(what, attempt) {
	for (let i = 1; ; i++) {
		try {
			return await attempt();
		} catch (error) {
			if (i >= INSTALL_ATTEMPTS) throw error;
			log(`${what} failed (${error.message.split('\n')[0]}); trying again`);
		}
	}
}

async function installNode(p) {
	freshDir(p.nodeDir);
	const spec = `${nodePackageName()}@${NODE_VERSION}`;
	log(`installing Node ${NODE_VERSION} (${spec}) into ${p.nodeDir}`);
	const out = await run('npm', ['pack', spec, '--pack-destination', p.nodeDir, ...NPM_QUIET], {
		cwd: p.nodeDir,
	});
	const tarball = out.stdout.trim().split('\n').pop();
	await run('tar', ['-xzf', tarball], { cwd: p.nodeDir });
	fs.rmSync(path.join(p.nodeDir, tarball));
	const version = (await run(p.nodeBin, ['--version'])).stdout.trim();
	if (version !== `v${NODE_VERSION}`) throw new Error(`Unpacked Node reports ${version}`);
	fs.writeFileSync(path.join(p.nodeDir, MARKER), nodeMarker());
}

async function installN8n(p) {
	freshDir(p.n8nDir);
	log(`installing n8n ${N8N_VERSION} into ${p.n8nDir} (a few minutes, once)`);
	const manifest = { name: 'n8n-runtime', private: true, dependencies: { n8n: N8N_VERSION } };
	if (Object.keys(selected.installOverrides).length > 0)
		manifest.overrides = selected.installOverrides;
	fs.writeFileSync(path.join(p.n8nDir, 'package.json'), JSON.stringify(manifest, null, 2));
	const locked = fs.existsSync(N8N_LOCKFILE);
	if (locked) {
		const lockedVersion = JSON.parse(fs.readFileSync(N8N_LOCKFILE, 'utf8')).packages['']
			.dependencies.n8n;
		if (lockedVersion !== N8N_VERSION) {
			throw new Error(
				`${N8N_LOCKFILE} pins n8n ${lockedVersion}, not ${N8N_VERSION}: delete it to resolve afresh`,
			);
		}
		fs.copyFileSync(N8N_LOCKFILE, path.join(p.n8nDir, 'package-lock.json'));
	}
	// Some of n8n's dependencies download binaries in install scripts (fails offline and is not
	// needed); the one native module n8n needs, sqlite3, is then built against the pinned Node.
	await withRetry(`npm ${locked ? 'ci' : 'install'}`, () =>
		run('npm', [locked ? 'ci' : 'install', '--ignore-scripts', ...NPM_QUIET], {
			cwd: p.n8nDir,
			timeoutMs: INSTALL_TIMEOUT_MS,
		}),
	);
	if (!locked) fs.copyFileSync(path.join(p.n8nDir, 'package-lock.json'), N8N_LOCKFILE);
	const env = {
		...process.env,
		PATH: `${path.dirname(p.nodeBin)}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: p.nodeHome,
	};
	log('building sqlite3 for the pinned Node');
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', ...NPM_QUIET], {
		cwd: p.n8nDir,
		env,
	});
	await run(p.nodeBin, ['-e', "require('sqlite3')"], { cwd: p.n8nDir });
	fs.writeFileSync(path.join(p.n8nDir, MARKER), n8nMarker());
}

/** Ensures the pinned Node and n8n are in the cache; returns their paths. */
async function ensureN8n() {
	const p = paths();
	if (!isInstalled(p.nodeDir, nodeMarker())) await installNode(p);
	if (!isInstalled(p.n8nDir, n8nMarker())) await installN8n(p);
	return p;
}

module.exports = { ensureN8n, paths };

if (require.main === module) {
	const started = Date.now();
	ensureN8n().then(
		(p) =>
			log(
				`n8n ${N8N_VERSION} ready in ${p.n8nDir} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
			),
		(error) => {
			log(`install failed: ${error.message}`);
			process.exit(1);
		},
	);
}
