// Child-process helpers shared by the harness.
const { spawn } = require('node:child_process');

function log(message) {
	process.stderr.write(`[harness] ${message}\n`);
}

function tail(text, lines = 20) {
	return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Runs a command to completion; rejects with the tail of its output when it fails, or when it
 * outlives `timeoutMs` (then it is killed).
 */
function run(command, args, { timeoutMs, ...options } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		const timer = timeoutMs
			? setTimeout(() => {
					timedOut = true;
					child.kill('SIGKILL');
				}, timeoutMs)
			: undefined;
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) return resolve({ stdout, stderr });
			const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `failed (${signal || code})`;
			const output = tail(`${stdout}\n${stderr}`);
			reject(new Error(`${command} ${args.join(' ')} ${why}:\n${output}`));
		});
	});
}

module.exports = { run, log, tail };
