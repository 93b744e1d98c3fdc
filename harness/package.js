// Builds this package and installs its tarball into an n8n user folder the way n8n installs
// community packages (<user folder>/.n8n/nodes), so node types carry the production prefix
// `n8n-nodes-instamed.` and only what `npm pack` ships is loaded.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { run, log } = require('./process');

const REPO = path.resolve(__dirname, '..');

/** `npm run build` then `npm pack`; returns the tarball's absolute path. */
async function buildAndPack({ build = true } = {}) {
	if (build) {
		log('building the package');
		await run('npm', ['run', 'build', '--silent'], { cwd: REPO });
	}
	const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-pack-'));
	const out = await run(
		'npm',
		['pack', '--pack-destination', destination, '--loglevel=error', '--json'],
		{ cwd: REPO },
	);
	const [{ filename }] = JSON.parse(out.stdout);
	return path.join(destination, path.basename(filename));
}

/** Installs the tarball into <userFolder>/.n8n/nodes with npm, peers left to n8n. */
async function installIntoUserFolder(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = { name: 'installed-nodes', private: true, dependencies: {} };
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(manifest, null, 2));
	await run(
		'npm',
		[
			'install',
			tarball,
			'--legacy-peer-deps',
			'--omit=dev',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
		],
		{ cwd: nodesDir },
	);
}

/** Removes the temporary folder buildAndPack put the tarball in. */
function removePackDir(tarball) {
	fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
}

module.exports = { REPO, buildAndPack, installIntoUserFolder, removePackDir };
