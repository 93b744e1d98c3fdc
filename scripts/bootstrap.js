#!/usr/bin/env node
// First-run setup for the README's commands, with Node builtins only (it runs before any
// dependency exists): `npm ci` when node_modules is missing or does not match package-lock.json,
// then `npm run build` when dist is missing or older than its sources. Does nothing when both are
// current. Used by `npm run demo`, `npm test`, `npm run test:editor` and the harness CLI, so a fresh
// `git clone` needs no other command.
//
//   node scripts/bootstrap.js            (or require('./scripts/bootstrap').ensureReady())
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function say(message) {
	console.error(`[setup] ${message}`);
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Why node_modules must be (re)installed, or undefined when it matches the lockfile. */
function installReason() {
	const lock = readJson(path.join(REPO, 'package-lock.json'));
	if (!lock) return undefined; // no lockfile: nothing to compare with (not this repo's case)
	// npm writes this "hidden lockfile" at the end of every install: what node_modules holds.
	const installed = readJson(path.join(REPO, 'node_modules', '.package-lock.json'));
	if (!installed) return 'node_modules is missing';
	for (const [key, entry] of Object.entries(lock.packages ?? {})) {
		if (key === '' || entry.link) continue;
		const have = installed.packages?.[key];
		// Optional packages for other platforms are never installed.
		if (!have && entry.optional) continue;
		if (!have || have.version !== entry.version) {
			return `node_modules does not match package-lock.json (${key.replace(/^node_modules\//, '')})`;
		}
	}
	return undefined;
}

function newestMtime(target) {
	let stat;
	try {
		stat = fs.statSync(target);
	} catch {
		return 0;
	}
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const name of fs.readdirSync(target)) {
		newest = Math.max(newest, newestMtime(path.join(target, name)));
	}
	return newest;
}

/** Why dist must be rebuilt, or undefined when every file n8n loads is newer than its sources. */
function buildReason() {
	const manifest = readJson(path.join(REPO, 'package.json'));
	const outputs = [...(manifest?.n8n?.nodes ?? []), ...(manifest?.n8n?.credentials ?? [])];
	let oldestOutput = Infinity;
	for (const file of outputs) {
		const mtime = newestMtime(path.join(REPO, file));
		if (mtime === 0) return 'dist is missing or incomplete';
		oldestOutput = Math.min(oldestOutput, mtime);
	}
	const sources = ['nodes', 'credentials', 'gulpfile.js', 'tsconfig.json', 'package.json'];
	const newestSource = Math.max(...sources.map((name) => newestMtime(path.join(REPO, name))));
	return newestSource > oldestOutput ? 'dist is older than its sources' : undefined;
}

function npm(args) {
	const result = spawnSync(NPM, args, { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
	if (result.error) throw new Error(`could not run npm ${args[0]}: ${result.error.message}`);
	if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${result.status})`);
}

/** Installs and builds what is missing or stale; synchronous so callers can require() after it. */
function ensureReady({ build = true } = {}) {
	const install = installReason();
	if (install) {
		say(`${install}: running npm ci (about 2 minutes, once)`);
		npm(['ci', '--no-audit', '--no-fund', '--loglevel=error']);
	}
	const rebuild = build && buildReason();
	if (rebuild) {
		say(`${rebuild}: running npm run build`);
		npm(['run', 'build', '--silent']);
	}
}

module.exports = { ensureReady, installReason, buildReason };

if (require.main === module) {
	try {
		ensureReady();
	} catch (error) {
		say(error.message);
		process.exit(1);
	}
}
