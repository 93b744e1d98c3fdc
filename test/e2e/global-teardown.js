// Stops the shared n8n (its whole process group) whatever the tests did, and removes its
// user folder unless INSTAMED_E2E_KEEP=1 asks to keep it (database and log) for a look.
const fs = require('node:fs');
const { log } = require('../harness/process');
const { readState, removeState } = require('./support/state');

function killLeftoverGroup(pid) {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

module.exports = async function globalTeardown() {
	const n8n = globalThis.__INSTAMED_E2E_N8N__;
	let state;
	try {
		state = readState();
	} catch {
		state = undefined;
	}
	const keep = process.env.INSTAMED_E2E_KEEP === '1';
	if (n8n) {
		await n8n.stop({ removeUserFolder: !keep });
		delete globalThis.__INSTAMED_E2E_N8N__;
	}
	if (state) {
		killLeftoverGroup(state.pid);
		if (keep) log(`kept n8n user folder ${state.userFolder}`);
		else fs.rmSync(state.userFolder, { recursive: true, force: true });
	}
	removeState();
};
