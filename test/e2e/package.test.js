// The package as npm would publish it (the global setup has just built dist): what it ships, and
// that its nodes load where only n8n-workflow is installed, as in n8n's community-nodes folder.
// npm pack and an npm install of n8n-workflow take long on a busy machine.
jest.setTimeout(180_000);

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = require('../../package.json');

function packedFiles() {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	return JSON.parse(output)[0].files.map((file) => file.path);
}

/** dist and package.json alone in a folder whose node_modules holds only n8n-workflow. */
function isolatedInstall() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-dist-'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
	fs.mkdirSync(path.join(dir, 'node_modules'));
	fs.symlinkSync(
		path.join(ROOT, 'node_modules', 'n8n-workflow'),
		path.join(dir, 'node_modules', 'n8n-workflow'),
	);
	return dir;
}

function runIn(dir, script) {
	return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }));
}

test('the tarball holds dist (with the bundled XML parser), README, license and manifest only', () => {
	const files = packedFiles();
	const outsideDist = files.filter((file) => !file.startsWith('dist/'));
	expect(outsideDist.sort()).toEqual(['LICENSE.md', 'README.md', 'package.json']);
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		expect(files).toContain(entry);
	}
	expect(files).toContain('dist/node_modules/saxes/saxes.js');
	expect(files).toContain('dist/node_modules/xmlchars/xml/1.0/ed5.js');
	expect(files.some((file) => file.includes('fast-xml-parser'))).toBe(false);
	// n8n reads each node's codex (categories, aliases) from beside its .js.
	for (const entry of manifest.n8n.nodes) {
		expect(files).toContain(entry.replace(/\.js$/, '.json'));
	}
	expect(manifest.main).toBeUndefined();
	expect(files.filter((file) => /\.svg$/.test(file)).length).toBeGreaterThanOrEqual(6);
	expect(files.some((file) => /(^|\/)test\//.test(file) || file.endsWith('.test.js'))).toBe(false);
	expect(manifest.dependencies ?? {}).toEqual({});
});

test('every node and credential loads with only n8n-workflow installed, and XML parses', () => {
	const dir = isolatedInstall();
	try {
		const loaded = runIn(
			dir,
			`
			const manifest = require('./package.json');
			const names = [...manifest.n8n.nodes, ...manifest.n8n.credentials].map((file) => {
				const exported = Object.values(require('./' + file)).find((value) => typeof value === 'function');
				const instance = new exported();
				return (instance.description ?? instance).name;
			});
			const { parseBody } = require('./dist/nodes/InstaMedTrigger/format/parseBody.js');
			const xml = parseBody('application/xml', Buffer.from('<Any><Amount>50.00</Amount></Any>'), 'auto');
			const parser = require.resolve('saxes', { paths: [require.resolve('./dist/nodes/InstaMedTrigger/format/xml.js')] });
			console.log(JSON.stringify({ names, xml: xml.fields, parser }));
			`,
		);
		expect(loaded.names.sort()).toEqual(
			[
				'instaMed',
				'instaMedTrigger',
				'instaMedBasicApi',
				'instaMedConnectApi',
				'instaMedOAuth2Api',
				'instaMedProxySecretApi',
			].sort(),
		);
		expect(loaded.xml).toEqual({ Amount: '50.00' });
		expect(fs.realpathSync(loaded.parser)).toBe(
			fs.realpathSync(path.join(dir, 'dist', 'node_modules', 'saxes', 'saxes.js')),
		);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
