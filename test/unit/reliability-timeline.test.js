// The reliability campaign's explanation of a lost message: which faults and which n8n process
// each attempt met, its answers, and the executions n8n recorded for it.
const {
	answersByReason,
	explainMessages,
	faultRecorder,
	faultsDuring,
	processAt,
} = require('../reliability/timeline');

const attempt = (startedAt, endedAt, requests, outcome) => ({
	startedAt,
	endedAt,
	requests,
	outcome,
});

test('faults overlapping an attempt, and the n8n process it met', async () => {
	let clock = 1000;
	const recorder = faultRecorder(() => clock);
	await recorder.record('database cut', async () => {
		clock = 5000;
	})();
	recorder.restarted(9000);
	expect(recorder.windows).toEqual([{ name: 'database cut', startedAt: 1000, endedAt: 5000 }]);
	expect(faultsDuring(recorder.windows, 4000, 6000)).toEqual(['database cut']);
	expect(faultsDuring(recorder.windows, 5001, 6000)).toEqual([]);
	expect([processAt(recorder.restarts, 8999), processAt(recorder.restarts, 9000)]).toEqual([1, 2]);
});

test('a lost message explained: attempts, answers with reasons and executions, what n8n recorded', async () => {
	const recorder = faultRecorder();
	recorder.windows.push({ name: 'database hang', startedAt: 1500, endedAt: 4000 });
	const delivery = {
		message: { id: 'run-7', kind: 'original', format: 'xml' },
		state: 'stored',
		attempts: [
			attempt(
				1000,
				21000,
				[{ status: 401, answeredBy: 'rejected' }, { timedOut: true }],
				'timeout',
			),
			attempt(
				30000,
				30200,
				[
					{ status: 401, answeredBy: 'rejected' },
					{ status: 200, reason: 'OK', execution: '42', answeredBy: 'confirmed' },
				],
				'stored',
			),
			attempt(40000, 40100, [{ status: 200, reason: 'OK' }], 'stored'),
		],
	};
	const rest = {
		executionSummaries: async () => [
			{ id: '41', status: 'success', startedAt: new Date(900).toISOString() },
			{ id: '42', status: 'success', startedAt: new Date(30100).toISOString() },
			{ id: '43', status: 'error', startedAt: new Date(30150).toISOString() },
		],
		executionData: async (id) => (id === '42' ? '["run-7"]' : '["other"]'),
	};
	const lines = await explainMessages({
		ids: ['run-7'],
		deliveries: [delivery],
		recorder,
		t0: 0,
		rest,
		workflowId: 'w',
		rows: () => 0,
	});
	expect(lines).toEqual([
		'  message run-7: 0 row(s)',
		'   original (xml), stored:',
		'    attempt 1 at 1.0 s (20.0 s, n8n process 1, during: database hang): 401 (rejected) -> timeout => timeout',
		'    attempt 2 at 30.0 s (0.2 s, n8n process 1): 401 (rejected) -> 200 [execution 42] (confirmed) => stored',
		'    attempt 3 at 40.0 s (0.1 s, n8n process 1): 200 (no trigger mark: n8n answered alone) => stored',
		'    n8n executions: 42 success',
	]);
});

test('answers other than 200 and 401 counted by reason', () => {
	const deliveries = [
		{
			attempts: [
				attempt(0, 1, [{ status: 401 }, { status: 503, reason: 'writes refused' }], 'failed'),
				attempt(2, 3, [{ status: 500, reason: 'Not stored: x' }, { status: 200 }], 'stored'),
			],
		},
	];
	expect(answersByReason(deliveries)).toEqual({ '503 writes refused': 1, '500 Not stored: x': 1 });
});
