// The InstaMed delivery simulator's schedule, with injected time and scripted answers: retries
// every interval up to five attempts, two timeouts end the post, Basic challenge flow per attempt.
const {
	INSTAMED_SCHEDULE,
	STATES,
	scaledSchedule,
	afterAttempt,
	newDelivery,
	deliverOne,
	deliverAll,
	concurrencyLimit,
	summarise,
	distinctMessages,
	withBody,
	MESSAGE_ID_FIELD,
} = require('../../tools/instamed-delivery');
const { centsToAmount } = require('../../nodes/shared/money.ts');

const MINUTE = 60_000;

/** Virtual time: sleep advances it at once, so a five-attempt schedule runs in microseconds. */
function fakeClock(start = 1_000_000) {
	let now = start;
	return {
		now: () => now,
		sleep: async (ms) => {
			if (ms > 0) now += ms;
		},
		advance: (ms) => {
			now += ms;
		},
	};
}

/** A post that answers from a script (one entry per HTTP request) and records what it was sent. */
function scriptedPost(clock, script, { latencyMs = 100 } = {}) {
	const sent = [];
	const post = async (request) => {
		sent.push({ at: clock.now(), ...request });
		const answer = script[sent.length - 1] ?? { status: 200 };
		clock.advance(answer.timedOut ? request.timeoutMs : latencyMs);
		return answer;
	};
	return { post, sent };
}

const message = { id: 'm1', body: '{"a":"1"}', contentType: 'application/json' };
const schedule = scaledSchedule();

describe('schedule', () => {
	test("InstaMed's published numbers", () => {
		expect(INSTAMED_SCHEDULE).toEqual({
			retryIntervalMs: 30 * MINUTE,
			maxAttempts: 5,
			timeoutMs: 20_000,
			maxTimeouts: 2,
		});
	});

	test('the time scale shortens the retry interval only', () => {
		expect(scaledSchedule({ timeScale: 0.001 })).toEqual({
			...INSTAMED_SCHEDULE,
			retryIntervalMs: 1800,
		});
		expect(scaledSchedule({ timeScale: 0.001, timeoutMs: 5000 }).timeoutMs).toBe(5000);
		expect(() => scaledSchedule({ timeScale: 0 })).toThrow(/time scale/);
	});
});

describe('afterAttempt', () => {
	const attempt = (outcome, endedAt = 0) => ({
		startedAt: endedAt,
		endedAt,
		outcome,
		requests: [],
	});

	test('200 -> stored, no further attempt', () => {
		const next = afterAttempt(newDelivery(message), attempt('stored'), schedule);
		expect(next.state).toBe(STATES.stored);
		expect(next.nextAttemptAt).toBeNull();
	});

	test('a failure -> pending posting retry one interval after the attempt ended', () => {
		const next = afterAttempt(newDelivery(message), attempt('failed', 5000), schedule);
		expect(next.state).toBe(STATES.retrying);
		expect(next.nextAttemptAt).toBe(5000 + 30 * MINUTE);
	});

	test('the fifth failure -> posting error', () => {
		let delivery = newDelivery(message);
		for (let i = 0; i < 4; i++) delivery = afterAttempt(delivery, attempt('failed'), schedule);
		expect(delivery.state).toBe(STATES.retrying);
		delivery = afterAttempt(delivery, attempt('failed'), schedule);
		expect(delivery.state).toBe(STATES.failed);
		expect(delivery.attempts).toHaveLength(5);
	});

	test('the second timeout -> posting error, even with attempts left', () => {
		let delivery = afterAttempt(newDelivery(message), attempt('timeout'), schedule);
		expect(delivery.state).toBe(STATES.retrying);
		delivery = afterAttempt(delivery, attempt('failed'), schedule);
		delivery = afterAttempt(delivery, attempt('timeout'), schedule);
		expect(delivery.state).toBe(STATES.failed);
		expect(delivery.attempts).toHaveLength(3);
		expect(delivery.timeouts).toBe(2);
	});

	test('does not change the delivery it is given', () => {
		const delivery = newDelivery(message);
		afterAttempt(delivery, attempt('failed'), schedule);
		expect(delivery).toEqual(newDelivery(message));
	});
});

describe('deliverOne with injected time', () => {
	const url = 'http://127.0.0.1:1/webhook/x';

	test('500 twice then 200: three attempts, 30 minutes apart, stored', async () => {
		const clock = fakeClock();
		const start = clock.now();
		const { post, sent } = scriptedPost(clock, [{ status: 500 }, { status: 500 }, { status: 200 }]);
		const delivery = await deliverOne(message, { url, schedule, post }, clock);
		expect(delivery.state).toBe(STATES.stored);
		expect(sent.map((request) => request.at - start)).toEqual([
			0,
			100 + 30 * MINUTE,
			200 + 60 * MINUTE,
		]);
	});

	test('never 200: five attempts, then posting error', async () => {
		const clock = fakeClock();
		const { post, sent } = scriptedPost(clock, Array(10).fill({ status: 503 }));
		const delivery = await deliverOne(message, { url, schedule, post }, clock);
		expect(delivery.state).toBe(STATES.failed);
		expect(sent).toHaveLength(5);
	});

	test('connection errors count as failed attempts', async () => {
		const clock = fakeClock();
		const { post } = scriptedPost(clock, [{ error: 'ECONNREFUSED' }, { status: 200 }]);
		const delivery = await deliverOne(message, { url, schedule, post }, clock);
		expect(delivery.attempts.map((a) => a.outcome)).toEqual(['failed', 'stored']);
	});

	test('two timeouts end the post; InstaMed waited 20 s each time', async () => {
		const clock = fakeClock();
		const { post, sent } = scriptedPost(clock, [
			{ timedOut: true },
			{ timedOut: true },
			{ status: 200 },
		]);
		const delivery = await deliverOne(message, { url, schedule, post }, clock);
		expect(delivery.state).toBe(STATES.failed);
		expect(sent).toHaveLength(2);
		expect(sent.every((request) => request.timeoutMs === 20_000)).toBe(true);
		expect(delivery.attempts[0].endedAt - delivery.attempts[0].startedAt).toBe(20_000);
	});

	test('Basic: each attempt posts without credentials, then with them after the challenge', async () => {
		const clock = fakeClock();
		const challenge = { status: 401, challenge: 'Basic realm="InstaMed"' };
		const { post, sent } = scriptedPost(clock, [
			challenge,
			{ status: 500 },
			challenge,
			{ status: 200 },
		]);
		const auth = { user: 'u', password: 'p:w' };
		const delivery = await deliverOne(message, { url, schedule, post, auth }, clock);
		expect(delivery.state).toBe(STATES.stored);
		expect(delivery.attempts).toHaveLength(2);
		const authorizations = sent.map((request) => request.headers.authorization);
		const basic = `Basic ${Buffer.from('u:p:w').toString('base64')}`;
		expect(authorizations).toEqual([undefined, basic, undefined, basic]);
	});

	test('a 401 without a Basic challenge is not answered with credentials', async () => {
		const clock = fakeClock();
		const { post, sent } = scriptedPost(clock, Array(5).fill({ status: 401, challenge: 'Bearer' }));
		const delivery = await deliverOne(
			message,
			{ url, schedule, post, auth: { user: 'u', password: 'p' } },
			clock,
		);
		expect(delivery.state).toBe(STATES.failed);
		expect(sent).toHaveLength(5);
	});

	test('a bearer token goes on every first post', async () => {
		const clock = fakeClock();
		const { post, sent } = scriptedPost(clock, [{ status: 401 }, { status: 200 }]);
		await deliverOne(message, { url, schedule, post, auth: { token: 't0k' } }, clock);
		expect(sent.map((request) => request.headers.authorization)).toEqual([
			'Bearer t0k',
			'Bearer t0k',
		]);
	});
});

describe('deliverAll', () => {
	test('first posts wait for startAfterMs; every message reaches a final state', async () => {
		const clock = fakeClock(0);
		const { post, sent } = scriptedPost(clock, [{ status: 500 }], { latencyMs: 0 });
		const batch = [
			{ ...message, id: 'a', startAfterMs: 0 },
			{ ...message, id: 'b', startAfterMs: 5000 },
		];
		const deliveries = await deliverAll(batch, { url: 'u', schedule, post, concurrency: 1 }, clock);
		expect(deliveries.map((d) => d.state)).toEqual([STATES.stored, STATES.stored]);
		expect(deliveries[1].attempts[0].startedAt).toBeGreaterThanOrEqual(5000);
		expect(sent).toHaveLength(3);
	});

	test('the limit holds posts in flight to its size, first come first served', async () => {
		const limit = concurrencyLimit(2);
		const order = [];
		await limit.acquire();
		await limit.acquire();
		const third = limit.acquire().then(() => order.push('third'));
		const fourth = limit.acquire().then(() => order.push('fourth'));
		limit.release();
		limit.release();
		await Promise.all([third, fourth]);
		expect(order).toEqual(['third', 'fourth']);
	});
});

describe('summarise', () => {
	test('states, attempts, requests by answer', () => {
		const clock = fakeClock();
		let stored = newDelivery(message);
		stored = afterAttempt(
			stored,
			{ startedAt: 0, endedAt: 0, outcome: 'failed', requests: [{ error: 'ECONNRESET' }] },
			schedule,
		);
		stored = afterAttempt(
			stored,
			{ startedAt: 0, endedAt: 0, outcome: 'stored', requests: [{ status: 200, ms: 12 }] },
			schedule,
		);
		let failed = newDelivery(message);
		for (let i = 0; i < 2; i++) {
			failed = afterAttempt(
				failed,
				{ startedAt: 0, endedAt: clock.now(), outcome: 'timeout', requests: [{ timedOut: true }] },
				schedule,
			);
		}
		const summary = summarise([stored, failed]);
		expect(summary).toMatchObject({
			messages: 2,
			stored: 1,
			postingError: 1,
			attempts: 4,
			retriedMessages: 2,
			timedOutAttempts: 2,
			requestsByStatus: { 200: 1, ECONNRESET: 1, timeout: 2 },
			attemptsHistogram: { 2: 2 },
		});
	});
});

describe('distinctMessages', () => {
	const batch = distinctMessages({ count: 60, runId: 'abcd1234' });

	test('cycles every trigger through every format', () => {
		const pairs = new Set(batch.map((m) => `${m.trigger}/${m.format}`));
		expect(pairs.size).toBe(30);
	});

	test('each message has its own transaction id, amount and message id', () => {
		for (const key of ['PaymentTransactionID', 'Amount', MESSAGE_ID_FIELD]) {
			expect(new Set(batch.map((m) => m.fields[key])).size).toBe(60);
		}
		expect(batch.every((m) => /^[0-9A-F]{32}$/.test(m.fields.PaymentTransactionID))).toBe(true);
		expect(batch.every((m) => /^\d+\.\d\d$/.test(m.fields.Amount))).toBe(true);
	});

	test('a re-delivery in another format carries the same fields', () => {
		const again = withBody(batch[0], 'nvp');
		expect(again.fields).toBe(batch[0].fields);
		expect(again.contentType).toBe('application/x-www-form-urlencoded');
	});

	test('amounts are built from integer cents', () => {
		expect(centsToAmount(5)).toBe('0.05');
		expect(centsToAmount(123456)).toBe('1234.56');
	});
});
