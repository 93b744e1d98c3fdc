'use strict';

const {
	databaseGuard,
	guardKey,
	noGuard,
	underNodeLock,
	GUARD_HISTORY_SIZE,
} = require('../../nodes/InstaMed/actions/transaction/repeatGuard.ts');
const { keepsClaim } = require('../../nodes/InstaMed/actions/transaction/execute.ts');
const { fakeDeduplication, performOperation } = require('./instamed-fakes');

const approved = (transactionId = 'NEW') => ({
	result: {
		transactionId,
		status: 'C',
		responseCode: '000',
		responseMessage: 'APPROVED',
		authorizationNumber: 'A1',
	},
});
const declined = (responseMessage = 'Declined') => ({
	result: {
		transactionId: null,
		status: 'D',
		responseCode: '005',
		responseMessage,
		authorizationNumber: null,
	},
});
const failed = (mayHaveBeenProcessed) => ({
	failure: { httpCode: '500', message: 'x', networkCode: null, mayHaveBeenProcessed },
});
const tooLateToVoid = declined('Void not allowed: the funds transfer has started.');

/** A send double answering from a script, and noting what the guard held at each send. */
function scriptedSend(dedup, ...answers) {
	const requests = [];
	async function send(request) {
		requests.push({ ...request, guardSizeAtSend: dedup.size() });
		return {
			sent: { transport: 'rest', method: 'POST', url: 'u', fields: {} },
			answer: answers.shift(),
		};
	}
	send.requests = requests;
	return send;
}

const refund = { operation: 'refund', transactionId: 'sale1', amountCents: 1000 };
const voidIt = { operation: 'void', transactionId: 'sale1', amountCents: null };
const voidOrRefund = { operation: 'voidOrRefund', transactionId: 'sale1', amountCents: 5000 };

describe('guard keys', () => {
	test('action, upper-cased id and amount', () => {
		expect(guardKey({ action: 'refund', transactionId: ' ab12 ', amountCents: 1000 })).toBe(
			'instamed:refund:AB12:1000',
		);
		expect(guardKey({ action: 'void', transactionId: 'ab12', amountCents: null })).toBe(
			'instamed:void:AB12:',
		);
	});

	test('uses n8n entries mode, workflow scope, bounded history, each step under the node lock', async () => {
		const dedup = fakeDeduplication();
		const guard = databaseGuard(dedup);
		expect(await guard.claim('k')).toBe(true);
		expect(await guard.claim('k')).toBe(false);
		await guard.release('k');
		expect(await guard.claim('k')).toBe(true);
		expect(dedup.log.slice(0, 3)).toEqual([
			{
				op: 'check',
				items: ['instamed-repeat-guard-lock'],
				scope: 'node',
				options: { mode: 'entries' },
			},
			{
				op: 'check',
				items: ['k'],
				scope: 'workflow',
				options: { mode: 'entries', maxEntries: GUARD_HISTORY_SIZE },
			},
			{ op: 'clear', items: [], scope: 'node', options: { mode: 'entries' } },
		]);
		expect(workflowSteps(dedup)[2]).toEqual(['remove', 'k']);
		expect(dedup.size('node')).toBe(0);
	});
});

/** The guard's own steps on the workflow's list, without the lock's. */
const workflowSteps = (dedup) =>
	dedup.log
		.filter((entry) => entry.scope === 'workflow')
		.map((entry) => [entry.op, entry.items[0]]);

// Timing for a lock test: time passes only in the guard's pauses (every waiter's pause moves the
// one clock, so a test with many waiters gives them a long wait).
function virtualTiming(waitMs = 1_000_000) {
	let now = 0;
	return {
		waitMs,
		pauseMs: () => 25,
		now: () => now,
		sleep: async (ms) => {
			now += ms;
			await new Promise((resolve) => setImmediate(resolve));
		},
	};
}

describe('two executions at the same moment (queue-mode workers)', () => {
	test("n8n's record alone lets both through: the race the lock closes", async () => {
		const dedup = fakeDeduplication({ racy: true });
		dedup.plant('workflow', ['older key']);
		const both = await Promise.all([
			dedup.checkProcessedAndRecord(['k'], 'workflow', { mode: 'entries' }),
			dedup.checkProcessedAndRecord(['k'], 'workflow', { mode: 'entries' }),
		]);
		expect(both.map((result) => result.new.length)).toEqual([1, 1]);
	});

	test('the same key claimed twice at once: exactly one claim', async () => {
		for (const planted of [false, true]) {
			const dedup = fakeDeduplication({ racy: true });
			if (planted) dedup.plant('workflow', ['older key']);
			const guard = databaseGuard(dedup, virtualTiming());
			const claims = await Promise.all([1, 2, 3].map(() => guard.claim('k')));
			expect(claims.filter(Boolean)).toHaveLength(1);
			expect(dedup.size('node')).toBe(0);
		}
	});

	test('twenty different keys at once: every one claimed and kept (no write drops another)', async () => {
		const dedup = fakeDeduplication({ racy: true });
		const guard = databaseGuard(dedup, virtualTiming());
		const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
		expect(await Promise.all(keys.map((key) => guard.claim(key)))).toEqual(keys.map(() => true));
		expect(dedup.size('workflow')).toBe(20);
		await Promise.all(keys.slice(0, 10).map((key) => guard.release(key)));
		expect(dedup.size('workflow')).toBe(10);
	});

	test('a lock left by a process that died holding it is broken after the wait', async () => {
		const dedup = fakeDeduplication({ racy: true });
		dedup.plant('node', ['instamed-repeat-guard-lock']);
		const timing = virtualTiming(1000);
		expect(await databaseGuard(dedup, timing).claim('k')).toBe(true);
		expect(timing.now()).toBeGreaterThan(1000);
		expect(dedup.log.filter((entry) => entry.op === 'clear')).toHaveLength(2);
	});

	test('a database that keeps failing: the error, after the wait, and nothing claimed', async () => {
		const failing = {
			checkProcessedAndRecord: async () => {
				throw new Error('connection refused');
			},
			clearAllProcessedItems: async () => {},
		};
		const critical = jest.fn();
		await expect(underNodeLock(failing, critical, virtualTiming(100))).rejects.toThrow(
			'connection refused',
		);
		expect(critical).not.toHaveBeenCalled();
	});
});

describe('which answers keep the record', () => {
	test.each([
		['approved', approved(), true],
		['declined', declined(), false],
		['refused by InstaMed (4xx, NVP error, not sent)', failed(false), false],
		['unknown outcome (5xx, timeout)', failed(true), true],
	])('%s', (_name, answer, kept) => {
		expect(keepsClaim(answer)).toBe(kept);
	});
});

describe('performOperation with the guard', () => {
	test('records before sending', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, approved());
		await performOperation(send, databaseGuard(dedup), refund);
		expect(send.requests[0].guardSizeAtSend).toBe(1);
	});

	test('the same refund twice: the second is refused and never sent', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, approved(), approved());
		await performOperation(send, databaseGuard(dedup), refund);
		await expect(performOperation(send, databaseGuard(dedup), refund)).rejects.toThrow(
			'A refund of 10.00 for transaction sale1 was already sent from this workflow, so it was not sent again',
		);
		expect(send.requests).toHaveLength(1);
	});

	test('a different amount or action for the same transaction is allowed', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, approved(), approved(), approved());
		const guard = databaseGuard(dedup);
		await performOperation(send, guard, refund);
		await performOperation(send, guard, { ...refund, amountCents: 999 });
		await performOperation(send, guard, voidIt);
		expect(send.requests.map((r) => [r.action, r.amountCents])).toEqual([
			['refund', 1000],
			['refund', 999],
			['void', null],
		]);
	});

	test('a declined refund is released, so a retry is sent', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, declined(), approved());
		await performOperation(send, databaseGuard(dedup), refund);
		expect(dedup.size()).toBe(0);
		const [second] = await performOperation(send, databaseGuard(dedup), refund);
		expect(second.answer.result.status).toBe('C');
		expect(dedup.size()).toBe(1);
	});

	test('a refusal without a status (4xx) is released', async () => {
		const dedup = fakeDeduplication();
		await performOperation(scriptedSend(dedup, failed(false)), databaseGuard(dedup), refund);
		expect(dedup.size()).toBe(0);
	});

	test('an unknown outcome keeps the record and blocks a blind retry', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, failed(true), approved());
		await performOperation(send, databaseGuard(dedup), refund);
		await expect(performOperation(send, databaseGuard(dedup), refund)).rejects.toThrow(
			/already sent/,
		);
		expect(send.requests).toHaveLength(1);
	});

	test('the guard off sends repeats', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, approved(), approved());
		await performOperation(send, noGuard, refund);
		await performOperation(send, noGuard, refund);
		expect(send.requests).toHaveLength(2);
		expect(dedup.log).toHaveLength(0);
	});
});

describe('void or refund', () => {
	test('a void that works is all', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, approved('sale1'));
		const attempts = await performOperation(send, databaseGuard(dedup), voidOrRefund);
		expect(attempts.map((a) => a.request.action)).toEqual(['void']);
	});

	test('funds transfer started: the void record is released and the full amount refunded', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, tooLateToVoid, approved('refund1'));
		const attempts = await performOperation(send, databaseGuard(dedup), voidOrRefund);
		expect(send.requests.map((r) => [r.action, r.amountCents])).toEqual([
			['void', null],
			['refund', 5000],
		]);
		expect(attempts[1].answer.result.transactionId).toBe('refund1');
		expect(workflowSteps(dedup)).toEqual([
			['check', 'instamed:void:SALE1:'],
			['remove', 'instamed:void:SALE1:'],
			['check', 'instamed:refund:SALE1:5000'],
		]);
	});

	test('run again after the fallback: the void is declined again, the refund refused', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, tooLateToVoid, approved(), tooLateToVoid);
		await performOperation(send, databaseGuard(dedup), voidOrRefund);
		await expect(performOperation(send, databaseGuard(dedup), voidOrRefund)).rejects.toThrow(
			/refund of 50.00 .* already sent/,
		);
		expect(send.requests.map((r) => r.action)).toEqual(['void', 'refund', 'void']);
	});

	test('other void declines do not refund', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, declined('Transaction has already been voided'));
		const attempts = await performOperation(send, databaseGuard(dedup), voidOrRefund);
		expect(attempts).toHaveLength(1);
	});

	test('a void with an unknown outcome does not refund on top', async () => {
		const dedup = fakeDeduplication();
		const send = scriptedSend(dedup, failed(true));
		const attempts = await performOperation(send, databaseGuard(dedup), voidOrRefund);
		expect(attempts).toHaveLength(1);
		expect(dedup.size()).toBe(1);
	});
});
