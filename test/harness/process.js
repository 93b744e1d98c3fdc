// Child-process helpers shared by the harness.
const { spawn } = require('node:child_process');

function log(message) {
	process.stderr.write(`[harness] ${message}\n`);
}

function tail(text, lines = 20) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs a command to completion; rejects with the tail of its output when it fails. */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) return resolve({ stdout, stderr });
			const output = tail(`${stdout}\n${stderr}`);
			reject(new Error(`${command} ${args.join(' ')} failed (${signal || code}):\n${output}`));
		});
	});
}

module.exports = { run, log, tail };
