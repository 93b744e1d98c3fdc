// What the bench reads from the n8n process while it runs: CPU time of n8n and its children
// (/proc), resident memory, and n8n's expression-engine counters (/metrics, N8N_METRICS=true).
const fs = require('node:fs');

const CLOCK_TICKS = 100; // USER_HZ on Linux

function readStat(pid) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name may hold spaces: fields start after the last ')'.
		const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
		return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
	} catch {
		return undefined;
	}
}

/** The pid and every descendant of it. */
function processTree(root) {
	const parents = new Map();
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const stat = readStat(name);
		if (stat) parents.set(Number(name), stat.ppid);
	}
	const tree = new Set([root]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const [pid, ppid] of parents) {
			if (!tree.has(pid) && tree.has(ppid)) {
				tree.add(pid);
				grew = true;
			}
		}
	}
	return [...tree];
}

/** CPU milliseconds (user + system) used so far by n8n and its children (task runners). */
function cpuMs(rootPid) {
	let ticks = 0;
	for (const pid of processTree(rootPid)) ticks += readStat(pid)?.ticks ?? 0;
	return (ticks * 1000) / CLOCK_TICKS;
}

/**
 * n8n's own process CPU by thread (ms): its JavaScript thread (thread id = pid), V8's worker
 * threads (GC, compilation), libuv's pool (file I/O, SQLite, crypto), and the rest: the threads
 * isolated-vm runs expression isolates on, most of them gone by the time of reading (the process
 * total still counts the CPU of exited threads).
 */
function cpuByThread(pid) {
	const total = readStat(pid)?.ticks ?? 0;
	const byName = { main: 0, v8Workers: 0, libuv: 0 };
	for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const ticks = Number(fields[11]) + Number(fields[12]);
			const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
			if (Number(tid) === pid) byName.main += ticks;
			else if (name.startsWith('V8Worker')) byName.v8Workers += ticks;
			else if (name.startsWith('libuv')) byName.libuv += ticks;
		} catch {
			// the thread ended while being read
		}
	}
	const ms = (ticks) => (ticks * 1000) / CLOCK_TICKS;
	return {
		main: ms(byName.main),
		v8Workers: ms(byName.v8Workers),
		libuv: ms(byName.libuv),
		isolatesAndOther: ms(total - byName.main - byName.v8Workers - byName.libuv),
	};
}

function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Math.round(Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]) / 1024);
}

/** Sum of every sample of a Prometheus metric (all label sets). */
function metricSum(text, name) {
	let sum = 0;
	for (const line of text.split('\n')) {
		if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
			sum += Number(line.slice(line.lastIndexOf(' ') + 1));
		}
	}
	return sum;
}

/** n8n's expression engine so far: evaluations, their seconds, isolates (bridges) acquired. */
async function expressionCounters(baseUrl) {
	const text = await (await fetch(`${baseUrl}/metrics`)).text();
	return {
		evaluations: metricSum(text, 'n8n_expression_evaluation_duration_seconds_count'),
		evaluationSeconds: metricSum(text, 'n8n_expression_evaluation_duration_seconds_sum'),
		isolates: metricSum(text, 'n8n_expression_pool_acquired_total'),
	};
}

module.exports = { cpuMs, cpuByThread, rssMb, expressionCounters };
