// Hostile bodies against a real n8n (issue 20): a 512 KiB pathological XML body is answered in
// under a second while n8n's /healthz keeps answering in under a second; a compressed body is
// refused 415 by the trigger before anything inflates it; field names differing only in letter
// case are refused 400. None of them leaves an execution.
const fs = require('node:fs');
const zlib = require('node:zlib');
const { messages, serialise } = require('../../tools/sample-messages');
const { hostileBody } = require('../../tools/hostile-bodies');
const {
	sharedN8n,
	mark,
	sendRaw,
	waitForExecutions,
	executionsAfterSettling,
	tableRowsMarked,
	MARKER_FIELD,
} = require('./support/e2e');

const { e2e, rest } = sharedN8n();
const TABLE = e2e.state.tables.events.name;
const SCENARIO = 'selected';
const KIB = 1024;

async function expectNothingRecorded(before, marker) {
	expect(await executionsAfterSettling(rest, e2e.scenario(SCENARIO).id)).toBe(before);
	if (marker) expect(await tableRowsMarked(rest, TABLE, marker)).toHaveLength(0);
}

/** Polls /healthz every 100 ms until stopped; returns the slowest answer's ms and any failure. */
function watchHealth() {
	let stopped = false;
	const seen = { slowestMs: 0, failures: [], count: 0 };
	const loop = (async () => {
		while (!stopped) {
			const started = performance.now();
			try {
				const res = await fetch(`${e2e.state.baseUrl}/healthz`, {
					signal: AbortSignal.timeout(5000),
				});
				if (res.status !== 200) seen.failures.push(`status ${res.status}`);
			} catch (error) {
				seen.failures.push(error.name);
			}
			seen.slowestMs = Math.max(seen.slowestMs, performance.now() - started);
			seen.count++;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	})();
	return async () => {
		stopped = true;
		await loop;
		return seen;
	};
}

const trigger = (answer) => answer.answeredBy;

/** n8n's resident memory in MiB (Linux /proc). */
function n8nRssMib() {
	const status = fs.readFileSync(`/proc/${e2e.state.pid}/status`, 'utf8');
	return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)[1]) / 1024;
}

describe('a 512 KiB pathological XML body', () => {
	test.each(['whitespaceInTags', 'manyAttributes', 'deepNesting', 'cdataRuns', 'entityLikeRuns'])(
		'%s: answered 4xx in under 1 s, /healthz under 1 s throughout, no execution',
		async (shape) => {
			const before = await rest.countExecutions(e2e.scenario(SCENARIO).id);
			const body = hostileBody('xml', shape, 512 * KIB);
			expect(body.buffer.length).toBeGreaterThan(500 * KIB);
			expect(body.buffer.length).toBeLessThanOrEqual(512 * KIB);
			const stop = watchHealth();
			const answers = [];
			for (let i = 0; i < 5; i++) {
				answers.push(await sendRaw(e2e.url(SCENARIO), body.buffer, body.contentType));
			}
			const health = await stop();
			const slowest = Math.max(...answers.map((answer) => answer.ms));
			process.stderr.write(
				`xml ${shape} ${body.buffer.length} bytes: slowest answer ${slowest.toFixed(0)} ms, slowest /healthz ${health.slowestMs.toFixed(0)} ms\n`,
			);
			for (const answer of answers) {
				expect(answer.status).toBe(400);
				expect(trigger(answer)).toBe('rejected');
				expect(answer.ms).toBeLessThan(1000);
			}
			expect(health.count).toBeGreaterThan(0);
			expect(health.failures).toEqual([]);
			expect(health.slowestMs).toBeLessThan(1000);
			await expectNothingRecorded(before);
		},
	);
});

describe('compressed bodies', () => {
	const fields = () => mark(messages.paymentApproved, e2e.marker(`gzip-${Date.now()}`));

	test('a gzip notification -> 415 from the trigger, no execution, nothing stored', async () => {
		const marked = fields();
		const { body, contentType } = serialise('json', marked);
		const before = await rest.countExecutions(e2e.scenario(SCENARIO).id);
		const answer = await sendRaw(e2e.url(SCENARIO), zlib.gzipSync(body), contentType, {
			'content-encoding': 'gzip',
		});
		expect(answer.status).toBe(415);
		expect(answer.text).toBe(
			'Compressed bodies are not accepted: send the body with no Content-Encoding',
		);
		expect(trigger(answer)).toBe('rejected');
		await expectNothingRecorded(before, marked[MARKER_FIELD]);
	});

	test("a gzip bomb inflating past n8n's payload limit -> the trigger's 415, not n8n's 413: nothing inflated it", async () => {
		// 64 MiB of zeros is some 64 KiB compressed. Had n8n inflated the body before the
		// trigger ran (raw-body with n8n's 16 MiB limit), n8n would have answered 413 itself.
		const bomb = zlib.gzipSync(Buffer.alloc(64 * KIB * KIB), { level: 9 });
		const before = await rest.countExecutions(e2e.scenario(SCENARIO).id);
		const rssBefore = n8nRssMib();
		for (const encoding of ['gzip', 'deflate', 'br', 'GZIP', 'gzip, identity']) {
			const answer = await sendRaw(e2e.url(SCENARIO), bomb, 'application/json', {
				'content-encoding': encoding,
			});
			expect({ encoding, status: answer.status, by: trigger(answer) }).toEqual({
				encoding,
				status: 415,
				by: 'rejected',
			});
			expect(answer.ms).toBeLessThan(1000);
		}
		const rssGrowth = n8nRssMib() - rssBefore;
		process.stderr.write(
			`n8n RSS after 5 gzip bombs (64 MiB inflated each): +${rssGrowth.toFixed(1)} MiB\n`,
		);
		// Inflating even one would have taken 16 MiB (n8n's limit) before n8n refused it.
		expect(rssGrowth).toBeLessThan(16);
		await expectNothingRecorded(before);
	});

	test('Content-Encoding: identity is no compression: the message is stored', async () => {
		const marked = fields();
		const { body, contentType } = serialise('json', marked);
		const workflowId = e2e.scenario(SCENARIO).id;
		const before = await rest.countExecutions(workflowId);
		const answer = await sendRaw(e2e.url(SCENARIO), body, contentType, {
			'content-encoding': 'identity',
		});
		expect(answer.status).toBe(200);
		expect(await waitForExecutions(rest, workflowId, before + 1)).toBe(before + 1);
		expect(await tableRowsMarked(rest, TABLE, marked[MARKER_FIELD])).toHaveLength(1);
	});
});

describe('field names differing only in letter case', () => {
	test.each([
		[
			'json',
			(marker) => JSON.stringify({ ...mark(messages.paymentApproved, marker), amount: '0.01' }),
		],
		[
			'xml',
			(marker) =>
				serialise('xml', mark(messages.paymentApproved, marker)).body.replace(
					'</PaymentTransactionNotification>',
					'<AMOUNT>0.01</AMOUNT></PaymentTransactionNotification>',
				),
		],
		[
			'nvp',
			(marker) => `${serialise('nvp', mark(messages.paymentApproved, marker)).body}&amount=0.01`,
		],
	])('%s: 400 naming the field, no execution, nothing stored', async (format, build) => {
		const marker = e2e.marker(`case-${format}`);
		const body = build(marker);
		const contentType = serialise(format, { A: '1' }).contentType;
		const before = await rest.countExecutions(e2e.scenario(SCENARIO).id);
		const answer = await sendRaw(e2e.url(SCENARIO), body, contentType);
		expect(answer.status).toBe(400);
		expect(answer.text).toBe("Field 'Amount' repeated with different values");
		await expectNothingRecorded(before, marker);
	});
});
