// Runs after `tsc`: copies what TypeScript does not emit into dist.
const { src, dest, parallel } = require('gulp');

// Icons are binary-safe only with `encoding: false` (gulp 5 re-encodes files as UTF-8 otherwise).
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

// n8n's rules keep `dependencies` empty, so the XML parser ships inside dist. Its CommonJS build is
// one self-contained file; placed under dist/node_modules, `require('fast-xml-parser')` finds it.
function bundleXmlParser() {
	return src(
		[
			'node_modules/fast-xml-parser/package.json',
			'node_modules/fast-xml-parser/LICENSE',
			'node_modules/fast-xml-parser/lib/fxp.cjs',
		],
		{ base: 'node_modules', encoding: false },
	).pipe(dest('dist/node_modules'));
}

// The codex files (categories, aliases such as refund or chargeback) sit beside each node's .js:
// n8n reads <node>.node.json from there.
function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports.build = parallel(copyIcons, copyCodex, bundleXmlParser);
