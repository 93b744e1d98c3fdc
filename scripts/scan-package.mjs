#!/usr/bin/env node
// `npm run scan`: n8n's community-package scanner (@n8n/scan-community-package, pinned) on this
// package, before it is published. The scanner itself downloads a published version and its
// provenance-attested source; here its own lint step (`analyzePackage` with its ESLint config) runs
// on the same two things taken locally:
//   1. the source files it lints in the attested checkout (package.json, nodes/, credentials/);
//   2. the contents of the packed tarball (`npm pack`), compiled .js and package.json, as published.
// Its provenance check can only pass for a version published from CI (.github/workflows/publish.yml).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
require('./bootstrap.js').ensureReady();

const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	'@n8n/scan-community-package/scanner/scanner.mjs'
);

function packTarball(destination) {
	const out = execFileSync(
		'npm',
		['pack', '--json', '--loglevel=error', '--pack-destination', destination],
		{ cwd: REPO, encoding: 'utf8' },
	);
	return path.join(destination, JSON.parse(out)[0].filename);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'instamed-scan-'));
let failed = false;
try {
	const tarball = packTarball(work);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);

	const legs = [
		['source (package.json, nodes/, credentials/)', REPO, SOURCE_FILE_PATTERNS],
		[
			`tarball ${path.basename(tarball)} (compiled .js, package.json)`,
			unpacked,
			['**/*.js', 'package.json'],
		],
	];
	for (const [label, dir, patterns] of legs) {
		const result = await analyzePackage(dir, patterns);
		if (result.passed) {
			console.log(`scan: ${label}: passed${result.message ? ` (${result.message})` : ''}`);
		} else {
			failed = true;
			console.log(`scan: ${label}: FAILED: ${result.message}`);
			if (result.details) console.log(result.details);
		}
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
