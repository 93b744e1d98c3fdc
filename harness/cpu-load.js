// A busy host on demand: N processes that each keep one core busy until stopped, as other
// workloads do on a production machine. The campaign and the bench run beside them.
const { spawn } = require('node:child_process');

// Small bursts of arithmetic, so the process still exits promptly on SIGTERM.
const BUSY_LOOP = 'for (;;) { let x = 0; for (let i = 0; i < 1e7; i++) x += i; }';

/** Starts `count` CPU-bound processes; resolves to { count, stop() }. */
function startCpuLoad(count) {
	const children = Array.from({ length: count }, () =>
		spawn(process.execPath, ['-e', BUSY_LOOP], { stdio: 'ignore' }),
	);
	const kill = () => children.forEach((child) => child.kill('SIGKILL'));
	process.on('exit', kill);
	return {
		count,
		stop() {
			process.removeListener('exit', kill);
			kill();
		},
	};
}

module.exports = { startCpuLoad };
