// The bench's one summary: medians over rounds per workflow and concurrency, A/B ratios, and
// the targets of issue 12 with what was reached.
const { formatNodeCost } = require('./node-cost');

function median(values) {
	const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median of each figure over the windows with this label and concurrency. */
function cell(windows, label, concurrency) {
	const matching = windows.filter((w) => w.label === label && w.concurrency === concurrency);
	if (matching.length === 0) return undefined;
	const figure = (name) => median(matching.map((w) => w[name]));
	return {
		msgPerS: figure('msgPerS'),
		p50: figure('p50'),
		p99: figure('p99'),
		cpuMsPerMsg: figure('cpuMsPerMsg'),
		evaluationsPerMsg: figure('evaluationsPerMsg'),
		evaluationMsPerMsg: figure('evaluationMsPerMsg'),
		isolatesPerMsg: figure('isolatesPerMsg'),
		non2xx: matching.reduce((sum, w) => sum + (w.sent - w.ok), 0),
		rounds: matching.length,
	};
}

const f1 = (value) => (Number.isFinite(value) ? value.toFixed(1) : '-');
const f2 = (value) => (Number.isFinite(value) ? value.toFixed(2) : '-');
const f0 = (value) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const mark = (ok) => (ok ? 'met' : 'NOT met');

function table(rows) {
	const widths = rows[0].map((_, column) =>
		Math.max(...rows.map((row) => String(row[column]).length)),
	);
	return rows
		.map((row) => row.map((value, column) => String(value).padEnd(widths[column])).join('  '))
		.join('\n');
}

function formatSummary(report) {
	const { windows } = report;
	const lines = [];
	const concurrencies = [...new Set(windows.map((w) => w.concurrency))].sort((a, b) => a - b);
	lines.push(
		`\n== InstaMed Trigger (A) against n8n's Webhook node (B), one n8n ${report.n8n} on Node ${report.node}, ${report.cores} cores`,
		`   SQLite as n8n's database, successful executions saved (harness default) unless noted; ${report.plan.windowMs / 1000} s windows, A and B interleaved, medians of ${report.plan.rounds.postgres} (Postgres) and ${report.plan.rounds.dataTable} (Data Table) rounds; ${report.mode} mode, ${report.minutes.toFixed(1)} min`,
		'',
	);
	const rows = [
		[
			'storage',
			'c',
			'A msg/s',
			'B msg/s',
			'A/B',
			'CPU ms/msg A',
			'B',
			'A/B',
			'expr/msg A',
			'B',
			'isolates/msg A',
			'B',
			'p50 ms A',
			'B',
			'non-2xx',
		],
	];
	for (const storage of ['postgres', 'data table']) {
		for (const c of concurrencies) {
			const a = cell(windows, `A ${storage}`, c);
			const b = cell(windows, `B ${storage}`, c);
			if (!a || !b) continue;
			rows.push([
				storage,
				c,
				f1(a.msgPerS),
				f1(b.msgPerS),
				f2(a.msgPerS / b.msgPerS),
				f1(a.cpuMsPerMsg),
				f1(b.cpuMsPerMsg),
				f2(a.cpuMsPerMsg / b.cpuMsPerMsg),
				f1(a.evaluationsPerMsg),
				f1(b.evaluationsPerMsg),
				f2(a.isolatesPerMsg),
				f2(b.isolatesPerMsg),
				f0(a.p50),
				f0(b.p50),
				a.non2xx + b.non2xx,
			]);
		}
	}
	lines.push(table(rows), '');

	const threadRows = [
		[
			'n8n CPU ms/msg by thread, c=10',
			'JS thread',
			'V8 workers',
			'libuv',
			'isolates+other',
			'task runner etc.',
		],
	];
	for (const label of ['A postgres', 'B postgres', 'A postgres not saved']) {
		const matching = windows.filter(
			(w) => w.label === label && w.concurrency === 10 && w.threadCpuMsPerMsg,
		);
		if (matching.length === 0) continue;
		const t = (name) => median(matching.map((w) => w.threadCpuMsPerMsg[name]));
		const own = t('main') + t('v8Workers') + t('libuv') + t('isolatesAndOther');
		threadRows.push([
			label,
			f1(t('main')),
			f1(t('v8Workers')),
			f1(t('libuv')),
			f1(t('isolatesAndOther')),
			f1(median(matching.map((w) => w.cpuMsPerMsg)) - own),
		]);
	}
	if (threadRows.length > 1) lines.push(table(threadRows), '');
	const lastNode = (suffix) => {
		const a = cell(windows, `A postgres last node${suffix}`, 10);
		const b = cell(windows, `B postgres${suffix}`, 10);
		return a && b
			? ` A shaped as B (answering when the last node finishes, no Confirm Stored step): ${f1(a.msgPerS)} msg/s (A/B ${f2(a.msgPerS / b.msgPerS)}), CPU ${f1(a.cpuMsPerMsg)} ms/msg (A/B ${f2(a.cpuMsPerMsg / b.cpuMsPerMsg)}).`
			: '';
	};
	const lastNodeDefaults = lastNode('');
	if (lastNodeDefaults) lines.push(`Postgres c=10:${lastNodeDefaults}`, '');
	for (const { label, env, meaning } of report.restartPhases ?? []) {
		const setting = `${Object.entries(env)
			.map(([name, value]) => `${name}=${value}`)
			.join(', ')} (${meaning})`;
		const a = cell(windows, `A postgres ${label}`, 10);
		const b = cell(windows, `B postgres ${label}`, 10);
		if (!a || !b) continue;
		lines.push(
			`Same n8n restarted with ${setting}, Postgres c=10: A ${f1(a.msgPerS)} / B ${f1(b.msgPerS)} msg/s (A/B ${f2(a.msgPerS / b.msgPerS)}), CPU ${f1(a.cpuMsPerMsg)} / ${f1(b.cpuMsPerMsg)} ms/msg (A/B ${f2(a.cpuMsPerMsg / b.cpuMsPerMsg)}), isolates/msg ${f2(a.isolatesPerMsg)} / ${f2(b.isolatesPerMsg)}.${lastNode(` ${label}`)}`,
			'',
		);
	}
	const json10 = cell(windows, 'A postgres', 10);
	const variantRows = [
		['A on Postgres, c=10', 'msg/s', 'vs A json', 'CPU ms/msg', 'expr/msg', 'p50 ms'],
	];
	for (const label of [
		'A postgres',
		'A postgres xml',
		'A postgres nvp',
		'A postgres not saved',
		'A postgres last node',
	]) {
		const v = cell(windows, label, 10);
		if (v)
			variantRows.push([
				label.replace('A postgres', '').trim() || 'json',
				f1(v.msgPerS),
				f2(v.msgPerS / json10.msgPerS),
				f1(v.cpuMsPerMsg),
				f1(v.evaluationsPerMsg),
				f0(v.p50),
			]);
	}
	if (variantRows.length > 1) lines.push(table(variantRows), '');
	const saved = report.savedBytes;
	lines.push(
		`Saved execution data per message: A ${saved.a} bytes, B ${saved.b} bytes (${f2(saved.a / saved.b)}x); with "save successful executions: none" (the examples' setting) ${saved.aNoSaveExecutions} executions kept.`,
	);
	const gap = report.insertToAnswer;
	lines.push(
		`Insert to answer (row's clock_timestamp() to the 200 at the client): A c=1 p50 ${f1(gap.a1.p50)} / p99 ${f1(gap.a1.p99)} ms, c=10 p50 ${f1(gap.a10.p50)} / p99 ${f1(gap.a10.p99)} ms; B (answers after the whole run) c=1 p50 ${f1(gap.b1.p50)}, c=10 p50 ${f1(gap.b10.p50)} ms.`,
		`Stored: every 2xx looked up: Postgres ${report.stored.checked.postgres} (${report.stored.missing.postgres} missing), Data Table ${report.stored.checked.dataTable} (${report.stored.missing.dataTable} missing).`,
		'',
	);
	const burstRows = [
		[
			'burst',
			'c',
			'count',
			'p50 ms',
			'p99 ms',
			'max ms',
			'>20 s',
			'non-2xx',
			'rows',
			'RSS MB before',
			'after',
		],
	];
	for (const b of report.bursts) {
		burstRows.push([
			b.role === 'aPostgres' ? 'A' : 'B',
			b.concurrency,
			b.count,
			f0(b.p50),
			f0(b.p99),
			f0(b.max),
			b.over20s,
			b.non2xx,
			b.rowsStored,
			b.rssBeforeMb,
			b.rssAfterMb,
		]);
	}
	lines.push(table(burstRows), '');
	for (const b of report.bursts) {
		for (const [refusal, count] of Object.entries(b.refusals ?? {})) {
			lines.push(`  burst c=${b.concurrency}: ${count} x ${JSON.stringify(refusal)}`);
		}
	}
	if (report.tableVolume.length) {
		const a1 = cell(windows, 'A postgres', 1);
		const volumeRows = [['A, c=1', 'rows', 'msg/s', 'p50 ms', 'p99 ms', 'CPU ms/msg']];
		volumeRows.push([
			'Postgres insert',
			'-',
			f1(a1?.msgPerS),
			f0(a1?.p50),
			f0(a1?.p99),
			f1(a1?.cpuMsPerMsg),
		]);
		const small = cell(windows, 'A data table', 1);
		if (small)
			volumeRows.push([
				'Data Table upsert',
				'few k',
				f1(small.msgPerS),
				f0(small.p50),
				f0(small.p99),
				f1(small.cpuMsPerMsg),
			]);
		for (const v of report.tableVolume)
			volumeRows.push([
				'Data Table upsert',
				v.rows,
				f1(v.msgPerS),
				f0(v.p50),
				f0(v.p99),
				f1(v.cpuMsPerMsg),
			]);
		lines.push(table(volumeRows), '');
	}
	if (report.skipped?.length) lines.push(`Skipped (--budget): ${report.skipped.join(', ')}`, '');
	lines.push("The trigger's own work per message (no n8n):", formatNodeCost(report.nodeCost), '');
	const iso = report.isolate;
	lines.push(
		`n8n's expression engine per webhook request (its n8n-workflow, vm engine, pool of 1; CPU incl. the pool's replacement isolate): one isolate acquired and released ${f1(iso.isolateOnly.cpuMs)} ms; with the version 1 binaryData expression ${f1(iso.isolateAndBinaryData.cpuMs)} ms; with path + response mode + binaryData expressions ${f1(iso.isolateAndThreeExpressions.cpuMs)} ms.`,
		'',
	);

	const a10 = cell(windows, 'A postgres', 10);
	const b10 = cell(windows, 'B postgres', 10);
	const burst50 = report.bursts.find((b) => b.role === 'aPostgres' && b.concurrency === 50);
	const rate = a10.msgPerS / b10.msgPerS;
	const cpu = a10.cpuMsPerMsg / b10.cpuMsPerMsg;
	const json = report.nodeCost.json;
	const pipeline = json.pipelineRatio;
	lines.push(
		'Targets (ratios from this run):',
		`  A/B msg/s at c=10 on Postgres >= 0.95: ${f2(rate)} ${mark(rate >= 0.95)}`,
		`  n8n CPU per message A <= 1.05 x B: ${f2(cpu)} ${mark(cpu <= 1.05)} (c=10 Postgres)`,
		burst50
			? `  ${burst50.count} burst at c=50 all under 20 s, no non-2xx: max ${f0(burst50.max)} ms, ${burst50.over20s} over 20 s, ${burst50.non2xx} non-2xx ${mark(burst50.over20s === 0 && burst50.non2xx === 0)}`
			: '  burst at c=50: not run',
		`  node JSON pipeline <= 4 x JSON.parse: ${f1(pipeline)}x ${mark(pipeline <= 4)} (the item's two hashes alone ${f1(json.hashesUs / json.bareUs)}x; everything else ${f1(json.withoutHashesRatio)}x)`,
	);
	const parityA = cell(windows, 'A postgres isolate parity', 10);
	const parityB = cell(windows, 'B postgres isolate parity', 10);
	if (parityA && parityB) {
		lines.push(
			`  with the isolate equal for both (the best any community trigger can reach on n8n ${report.n8n}): A/B msg/s ${f2(parityA.msgPerS / parityB.msgPerS)}, CPU ${f2(parityA.cpuMsPerMsg / parityB.cpuMsPerMsg)}`,
		);
	}
	const parityLast = cell(windows, 'A postgres last node isolate parity', 10);
	if (parityLast && parityB) {
		lines.push(
			`  and A shaped as B (last node, no Confirm Stored step): A/B msg/s ${f2(parityLast.msgPerS / parityB.msgPerS)}, CPU ${f2(parityLast.cpuMsPerMsg / parityB.cpuMsPerMsg)}`,
		);
	}
	return lines.join('\n');
}

module.exports = { formatSummary, median, cell };
