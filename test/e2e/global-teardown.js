// Stops the shared n8n (its whole process group) and any n8n a test started and left running,
// and removes the shared user folder unless INSTAMED_E2E_KEEP=1 asks to keep it for a look.
const fs = require('node:fs');
const { log } = require('../../harness/process');
const { killStrays } = require('../../harness/n8n');
const { skippedSummary } = require('../../harness/system-parts');
const { readState, removeState } = require('./support/state');

function stateIfAny() {
	try {
		return readState();
	} catch {
		return undefined;
	}
}

module.exports = async function globalTeardown() {
	const keep = process.env.INSTAMED_E2E_KEEP === '1';
	const n8n = globalThis.__INSTAMED_E2E_N8N__;
	if (n8n) {
		await n8n.stop({ removeUserFolder: !keep });
		delete globalThis.__INSTAMED_E2E_N8N__;
	}
	const strays = killStrays();
	if (strays > 0) log(`killed ${strays} n8n left running (started and never stopped)`);
	const state = stateIfAny();
	if (state && keep) log(`kept n8n user folder ${state.userFolder}`);
	if (state && !keep) fs.rmSync(state.userFolder, { recursive: true, force: true });
	removeState();
	// Last, so it is the run's last line: the tests skipped for a missing nginx or Chromium.
	const skipped = skippedSummary();
	if (skipped) log(skipped);
};
