// The shared n8n of an end-to-end run: global setup writes its state file (0600, in the temp
// folder) and names it in INSTAMED_E2E_STATE; tests read it here.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const STATE_ENV = 'INSTAMED_E2E_STATE';

function writeState(state) {
	const file = path.join(os.tmpdir(), `instamed-e2e-${process.pid}.json`);
	fs.writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
	process.env[STATE_ENV] = file;
	return file;
}

function readState() {
	const file = process.env[STATE_ENV];
	if (!file || !fs.existsSync(file)) {
		throw new Error(`${STATE_ENV} is not set: run the e2e tests with \`npm run test:e2e\``);
	}
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function removeState() {
	const file = process.env[STATE_ENV];
	if (file) fs.rmSync(file, { force: true });
	delete process.env[STATE_ENV];
}

module.exports = { writeState, readState, removeState };
