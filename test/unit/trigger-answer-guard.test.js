// The trigger's answer guard on a real Node HTTP response: a 2xx reaches InstaMed only when it
// means "stored"; and the wiring check that refuses messages whose output leads to no storage.
const http = require('node:http');
const {
	guardAnswer,
	judgeAnswer,
	NOT_CONFIRMED,
	ENDED_WITHOUT_DATA,
} = require('../../nodes/InstaMedTrigger/answer/answerGuard.ts');
const {
	nodesReached,
	isConfirmStored,
	readWiring,
} = require('../../nodes/InstaMedTrigger/wiring/workflowWiring.ts');

describe('judgeAnswer', () => {
	const answer = (fields) => ({
		status: 200,
		mark: undefined,
		reason: undefined,
		bodyBytes: 0,
		...fields,
	});

	test('whenConfirmed: only a 2xx with the Confirm Stored mark passes', () => {
		expect(judgeAnswer('whenConfirmed', answer({ mark: 'confirmed' }))).toEqual({
			pass: true,
			reasonPhrase: 'OK',
		});
		expect(judgeAnswer('whenConfirmed', answer({}))).toEqual({
			pass: false,
			status: 500,
			reason: NOT_CONFIRMED,
		});
		expect(judgeAnswer('whenConfirmed', answer({ status: 204, mark: 'refused' })).pass).toBe(false);
	});

	test("whenLastNodeFinishes: a 2xx passes only with no body (n8n's fallbacks carry a message)", () => {
		expect(judgeAnswer('whenLastNodeFinishes', answer({})).pass).toBe(true);
		expect(judgeAnswer('whenLastNodeFinishes', answer({ bodyBytes: 70 }))).toEqual({
			pass: false,
			status: 500,
			reason: ENDED_WITHOUT_DATA,
		});
	});

	test("the trigger's own 200 for an event not selected passes in both modes", () => {
		const notSelected = answer({ mark: 'not-selected', bodyBytes: 39 });
		expect(judgeAnswer('whenConfirmed', notSelected)).toEqual({ pass: true });
		expect(judgeAnswer('whenLastNodeFinishes', notSelected)).toEqual({ pass: true });
	});

	test('non-2xx answers pass; a Refuse reason becomes a one-line reason phrase', () => {
		expect(judgeAnswer('whenConfirmed', answer({ status: 500 }))).toEqual({ pass: true });
		expect(
			judgeAnswer(
				'whenConfirmed',
				answer({ status: 503, mark: 'refused', reason: 'db down\r\nX: y' }),
			),
		).toEqual({ pass: true, reasonPhrase: 'db down X: y' });
	});
});

/** Serves one request whose response is guarded, `answer(res)` writing it as n8n would. */
async function guardedExchange(mode, answer) {
	const server = http.createServer((req, res) => {
		guardAnswer(res, mode);
		answer(res);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		return await new Promise((resolve, reject) => {
			const req = http.request(
				{ port: server.address().port, method: 'POST', host: '127.0.0.1' },
				(res) => {
					let body = '';
					res.on('data', (chunk) => (body += chunk));
					res.on('end', () =>
						resolve({
							status: res.statusCode,
							phrase: res.statusMessage,
							headers: res.headers,
							body,
						}),
					);
				},
			);
			req.on('error', reject);
			req.end('{}');
		});
	} finally {
		server.close();
	}
}

describe('guardAnswer on a real HTTP response', () => {
	test("n8n's empty 200 for a run nobody answered becomes 500 with the reason", async () => {
		const answer = await guardedExchange('whenConfirmed', (res) => {
			res.statusCode = 200;
			res.end();
		});
		expect(answer).toMatchObject({ status: 500, phrase: NOT_CONFIRMED, body: NOT_CONFIRMED });
		expect(answer.headers['x-instamed-answer']).toBe('not-confirmed');
	});

	test("n8n's 200 JSON fallback in lastNode mode becomes 500; an empty 200 passes", async () => {
		const fallback = await guardedExchange('whenLastNodeFinishes', (res) => {
			res.setHeader('content-type', 'application/json');
			res.setHeader('content-length', '69');
			res.end('{"message":"Workflow executed successfully but no data was returned"}');
		});
		expect(fallback).toMatchObject({ status: 500, body: ENDED_WITHOUT_DATA });
		const success = await guardedExchange('whenLastNodeFinishes', (res) => res.end());
		expect(success).toMatchObject({ status: 200, body: '' });
	});

	test('Confirm Stored passes as 200; Refuse keeps its status and gets its reason phrase', async () => {
		const confirmed = await guardedExchange('whenConfirmed', (res) => {
			res.setHeader('x-instamed-answer', 'confirmed');
			res.end('');
		});
		expect(confirmed).toMatchObject({ status: 200, phrase: 'OK', body: '' });
		expect(confirmed.headers['x-instamed-answer']).toBe('confirmed');
		const refused = await guardedExchange('whenConfirmed', (res) => {
			res.statusCode = 503;
			res.setHeader('x-instamed-answer', 'refused');
			res.setHeader('x-instamed-reason', 'relation "instamed_events" does not exist');
			res.end('relation "instamed_events" does not exist');
		});
		expect(refused).toMatchObject({
			status: 503,
			phrase: 'relation "instamed_events" does not exist',
		});
		expect(refused.headers['x-instamed-reason']).toBeUndefined();
	});

	test('a streamed 2xx (headers written before the end) is turned into a 500', async () => {
		const streamed = await guardedExchange('whenConfirmed', (res) => {
			res.write('partial');
			res.end();
		});
		expect(streamed.status).toBe(500);
		expect(streamed.headers['x-instamed-answer']).toBe('not-confirmed');
	});
});

describe('workflow wiring', () => {
	const nodes = [
		{ name: 'Store', type: 'n8n-nodes-base.postgres', disabled: false },
		{ name: 'Off', type: 'n8n-nodes-base.noOp', disabled: true },
		{
			name: 'Confirm',
			type: 'n8n-nodes-instamed.instaMed',
			disabled: false,
			parameters: { resource: 'notification' },
		},
	];
	const edges = [
		{ from: 'Trigger', fromOutput: 0, to: 'Store' },
		{ from: 'Store', fromOutput: 0, to: 'Confirm' },
		{ from: 'Trigger', fromOutput: 2, to: 'Off' },
	];

	test('what each output reaches; a disabled step does not count', () => {
		expect(nodesReached('Trigger', 0, edges, nodes).map((node) => node.name)).toEqual([
			'Store',
			'Confirm',
		]);
		expect(nodesReached('Trigger', 1, edges, nodes)).toEqual([]);
		expect(nodesReached('Trigger', 2, edges, nodes)).toEqual([]);
	});

	test('Confirm Stored is recognised with its operation left at the default, Refuse is not', () => {
		expect(isConfirmStored(nodes[2])).toBe(true);
		expect(
			isConfirmStored({
				...nodes[2],
				parameters: { resource: 'notification', operation: 'refuse' },
			}),
		).toBe(false);
		expect(isConfirmStored({ ...nodes[2], type: 'CUSTOM.instaMed' })).toBe(true);
		expect(isConfirmStored({ ...nodes[2], parameters: {} })).toBe(false);
	});

	test('read from the context; null when n8n gives no connections', () => {
		const source = {
			getChildNodes: () => nodes,
			getConnections: ({ name }) =>
				name === 'Confirm'
					? [[{ node: 'Store', index: 0 }]]
					: [[{ node: 'Trigger', index: 0 }], null],
		};
		expect(readWiring(source, 'Trigger').edges).toContainEqual({
			from: 'Store',
			fromOutput: 0,
			to: 'Confirm',
		});
		expect(readWiring({ getChildNodes: () => nodes }, 'Trigger')).toBeNull();
	});
});
