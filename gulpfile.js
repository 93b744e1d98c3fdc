// Runs after `tsc`: copies what TypeScript does not emit into dist.
const fs = require('node:fs');
const { src, dest, parallel, series } = require('gulp');

// Icons are binary-safe only with `encoding: false` (gulp 5 re-encodes files as UTF-8 otherwise).
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

// What an earlier build bundled must not linger in dist (a parser no longer used would ship).
async function clean() {
	fs.rmSync('dist/node_modules', { recursive: true, force: true });
}

// n8n's rules keep `dependencies` empty, so the XML parser ships inside dist: saxes and the one
// package it requires, xmlchars, each a few CommonJS files. Placed under dist/node_modules,
// `require('saxes')` from dist/nodes finds them.
function bundleXmlParser() {
	return src(
		[
			'node_modules/saxes/{package.json,README.md,saxes.js}',
			'node_modules/xmlchars/{package.json,LICENSE}',
			'node_modules/xmlchars/xml/**/*.js',
			'node_modules/xmlchars/xmlns/**/*.js',
			'node_modules/xmlchars/xmlchars.js',
		],
		{ base: 'node_modules', encoding: false },
	).pipe(dest('dist/node_modules'));
}

// The codex files (categories, aliases such as refund or chargeback) sit beside each node's .js:
// n8n reads <node>.node.json from there.
function copyCodex() {
	return src(['nodes/**/*.node.json'], { base: '.' }).pipe(dest('dist'));
}

exports.clean = clean;
exports.build = series(clean, parallel(copyIcons, copyCodex, bundleXmlParser));
