// Programs some tests need beyond Node and npm (Debian packages). Where one is absent, the tests
// that need it skip, and the run ends with one line naming them and the command that installs it;
// INSTAMED_REQUIRE_SYSTEM_PARTS=1 (set by .ci/run) makes an absent part a failure instead, so CI
// never skips them. Each part's path can be set (INSTAMED_NGINX, CHROMIUM); a set path that is not
// an executable counts as absent (INSTAMED_NGINX=/nonexistent shows a machine without nginx).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PARTS = {
	nginx: {
		env: 'INSTAMED_NGINX',
		fallbacks: ['/usr/sbin/nginx'],
		install: 'sudo apt-get install nginx-light',
	},
	chromium: {
		env: 'CHROMIUM',
		fallbacks: ['/usr/bin/chromium'],
		install: 'sudo apt-get install chromium',
	},
};

const REQUIRE_ENV = 'INSTAMED_REQUIRE_SYSTEM_PARTS';

function isExecutable(file) {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

function partOf(name) {
	const part = PARTS[name];
	if (!part) throw new Error(`Unknown system part ${name}`);
	return part;
}

/** The part's executable, or undefined when this machine has none. */
function locate(name) {
	const part = partOf(name);
	const chosen = process.env[part.env];
	if (chosen) return isExecutable(chosen) ? chosen : undefined;
	const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
	return [...onPath.map((dir) => path.join(dir, name)), ...part.fallbacks].find(isExecutable);
}

function installHint(name) {
	return `install it with \`${partOf(name).install}\``;
}

/** The part's executable; throws a message with the install command when it is absent. */
function requirePart(name) {
	const found = locate(name);
	if (!found) throw new Error(`${name} is not installed: ${installHint(name)}`);
	return found;
}

const required = () => process.env[REQUIRE_ENV] === '1';

// Skips are recorded in a file per run (the e2e global setup names the run), so the run's
// teardown can print them together however the test files were spread over workers.
function skipLog() {
	const run = process.env.INSTAMED_HARNESS_RUN ?? String(process.pid);
	return path.join(os.tmpdir(), `instamed-skips-${run}.jsonl`);
}

/**
 * Whether the tests of `what` (a test file's name) must skip because `name` is absent: true only
 * when absent and not required. Records the skip for skippedSummary().
 */
function skipWithout(name, what) {
	if (locate(name) || required()) return false;
	fs.appendFileSync(skipLog(), `${JSON.stringify({ part: name, what })}\n`);
	return true;
}

/** One line naming every skip recorded in this run and how to install what they need; clears them. */
function skippedSummary() {
	const file = skipLog();
	if (!fs.existsSync(file)) return undefined;
	const skips = fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line));
	fs.rmSync(file, { force: true });
	const byPart = new Map();
	for (const { part, what } of skips)
		byPart.set(part, new Set([...(byPart.get(part) ?? []), what]));
	const parts = [...byPart].map(
		([part, whats]) => `${[...whats].join(', ')} (need ${part}: \`${partOf(part).install}\`)`,
	);
	return `SKIPPED, system part missing: ${parts.join('; ')}; ${REQUIRE_ENV}=1 makes this a failure`;
}

module.exports = { locate, requirePart, installHint, skipWithout, skippedSummary, REQUIRE_ENV };
