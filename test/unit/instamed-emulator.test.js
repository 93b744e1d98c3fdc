'use strict';

// The emulator over real HTTP, driven through the node's own transport functions.
const { createConnectEmulator } = require('../../tools/connect-emulator');
const { sendToConnect } = require('../../nodes/InstaMed/transport/connect.ts');
const { fundsTransferStarted } = require('../../nodes/InstaMed/actions/transaction/outcome.ts');
const { databaseGuard } = require('../../nodes/InstaMed/actions/transaction/repeatGuard.ts');
const { fakeDeduplication, fetchHttp, performOperation } = require('./instamed-fakes');

let emulator;
let account;
let restHttp;

beforeAll(async () => {
	emulator = createConnectEmulator();
	const baseUrl = await emulator.start();
	const { config } = emulator;
	account = {
		baseUrl,
		apiKey: config.apiKey,
		apiSecret: config.apiSecret,
		merchantId: config.merchantId,
		storeId: config.storeId,
		terminalId: config.terminalId,
		accountId: config.accountId,
		password: config.password,
	};
	restHttp = fetchHttp();
});

afterAll(() => emulator.stop());

const voidOf = (transactionId) => ({ action: 'void', transactionId, amountCents: null });
const refundOf = (transactionId, amountCents) => ({ action: 'refund', transactionId, amountCents });

describe.each(['rest', 'nvp'])('%s', (transport) => {
	const call = (request) => sendToConnect(restHttp, transport, account, request);

	test('void of a fresh sale is approved and voids it', async () => {
		const sale = emulator.seedTransaction({ amount: '50.00' });
		const { answer } = await call(voidOf(sale.id));
		expect(answer.result).toMatchObject({ status: 'C', responseCode: '000' });
		expect(emulator.transaction(sale.id).status).toBe('V');
	});

	test('void after the funds transfer started is declined, saying so', async () => {
		const sale = emulator.seedTransaction({ amount: '50.00', settled: true });
		const { answer } = await call(voidOf(sale.id));
		expect(answer.result.status).toBe('D');
		expect(fundsTransferStarted(answer.result)).toBe(true);
	});

	test('partial refund, then the rest, then nothing more', async () => {
		const sale = emulator.seedTransaction({ amount: '50.00' });
		const first = await call(refundOf(sale.id, 2000));
		const rest = await call(refundOf(sale.id, 3000));
		const over = await call(refundOf(sale.id, 1));
		expect(first.answer.result.status).toBe('C');
		expect(rest.answer.result.status).toBe('C');
		expect(first.answer.result.transactionId).not.toBe(rest.answer.result.transactionId);
		expect(over.answer.result).toMatchObject({ status: 'D', responseCode: '061' });
		expect(emulator.transaction(sale.id).refundedCents).toBe(5000);
	});

	test('refund more than one year after the sale is declined', async () => {
		const saleDate = new Date(Date.now() - 366 * 24 * 3600 * 1000);
		const sale = emulator.seedTransaction({ amount: '50.00', saleDate });
		const { answer } = await call(refundOf(sale.id, 100));
		expect(answer.result).toMatchObject({ status: 'D', responseCode: '062' });
	});

	test('amounts ending in .51 are declined', async () => {
		const sale = emulator.seedTransaction({ amount: '50.00' });
		const { answer } = await call(refundOf(sale.id, 1051));
		expect(answer.result).toMatchObject({ status: 'D', responseCode: '005' });
		expect(emulator.transaction(sale.id).refundedCents).toBe(0);
	});

	test('unknown transaction id is an error, not a decline', async () => {
		const { answer } = await call(refundOf('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', 100));
		expect(answer.failure).toMatchObject({
			httpCode: '400',
			message: 'TransactionID not found',
			mayHaveBeenProcessed: false,
		});
	});

	test('a sale of another outlet is unknown here', async () => {
		const sale = emulator.seedTransaction({ amount: '50.00', outlet: { merchantId: 'OTHER' } });
		const { answer } = await call(voidOf(sale.id));
		expect(answer.failure.httpCode).toBe('400');
	});
});

test('REST with a wrong secret is refused with 401', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const wrong = { ...account, apiSecret: 'wrong' };
	const { answer } = await sendToConnect(restHttp, 'rest', wrong, voidOf(sale.id));
	expect(answer.failure).toMatchObject({ httpCode: '401', mayHaveBeenProcessed: false });
	expect(emulator.transaction(sale.id).status).toBe('C');
});

test('NVP with a wrong password is refused with 401', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const wrong = { ...account, password: 'wrong' };
	const { answer } = await sendToConnect(restHttp, 'nvp', wrong, voidOf(sale.id));
	expect(answer.failure).toMatchObject({
		httpCode: '401',
		message: 'Invalid account ID or password',
	});
});

test('NVP void answers in the documented shape (sale id kept, primary status V)', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	await sendToConnect(restHttp, 'nvp', account, voidOf(sale.id));
	const last = emulator.calls[emulator.calls.length - 1];
	expect(last).toMatchObject({ transport: 'nvp', action: 'void', transactionStatus: 'C' });
});

test('a closed port: nothing was sent', async () => {
	const spare = createConnectEmulator();
	const closed = { ...account, baseUrl: await spare.start() };
	await spare.stop();
	const { answer } = await sendToConnect(restHttp, 'rest', closed, voidOf('X'));
	expect(answer.failure).toMatchObject({
		networkCode: 'ECONNREFUSED',
		mayHaveBeenProcessed: false,
	});
});

test('the credential test call: 200 for the outlet, 401 for bad keys, 404 for another outlet', async () => {
	const lookup = (headers, merchantId) =>
		fetch(
			`${account.baseUrl}/rest/outlet?MerchantID=${merchantId}&StoreID=${account.storeId}&TerminalID=${account.terminalId}`,
			{ headers },
		).then((response) => response.status);
	const good = { 'Api-Key': emulator.config.apiKey, 'Api-Secret': emulator.config.apiSecret };
	expect(await lookup(good, account.merchantId)).toBe(200);
	expect(await lookup({ ...good, 'Api-Secret': 'wrong' }, account.merchantId)).toBe(401);
	expect(await lookup(good, 'OTHER')).toBe(404);
});

test('the same refund twice through the guard: one refund at the emulator', async () => {
	const sale = emulator.seedTransaction({ amount: '50.00' });
	const dedup = fakeDeduplication();
	const send = (request) => sendToConnect(restHttp, 'rest', account, request);
	const input = { operation: 'refund', transactionId: sale.id, amountCents: 1000 };
	await performOperation(send, databaseGuard(dedup), input);
	await expect(performOperation(send, databaseGuard(dedup), input)).rejects.toThrow(/already sent/);
	expect(emulator.transaction(sale.id).refunds).toHaveLength(1);
});

test('void or refund after settlement refunds the full amount at the emulator', async () => {
	const sale = emulator.seedTransaction({ amount: '42.10' });
	emulator.settle(sale.id);
	const send = (request) => sendToConnect(restHttp, 'nvp', account, request);
	const input = { operation: 'voidOrRefund', transactionId: sale.id, amountCents: 4210 };
	const attempts = await performOperation(send, databaseGuard(fakeDeduplication()), input);
	expect(attempts.map((a) => a.answer.result.status)).toEqual(['D', 'C']);
	expect(emulator.transaction(sale.id)).toMatchObject({ status: 'C', refundedCents: 4210 });
});

// The emulator reads amounts with its own parser (not the package's), so the two can disagree
// and a test can see it: here its reading of what InstaMed Connect accepts.
test("the emulator's own amount parser: exact integer cents, InstaMed Connect's shape only", () => {
	const { amountToCents } = require('../../tools/connect-emulator');
	const accepted = { '50.00': 5000, 12.3: 1230, 0.1: 10, 999999999.99: 99999999999, 7: 700 };
	for (const [text, cents] of Object.entries(accepted)) expect(amountToCents(text)).toBe(cents);
	expect(amountToCents(12.34)).toBe(1234);
	for (const refused of [
		'0',
		'0.00',
		'-1.00',
		'+1.00',
		'1.005',
		'1e3',
		'1,00',
		' 1.00',
		'',
		'.5',
		'1000000000.00',
		null,
		undefined,
	]) {
		expect({ refused, cents: amountToCents(refused) }).toEqual({ refused, cents: null });
	}
	// The node's parser and the emulator's agree on every amount the node may send.
	const { paymentAmountToCents, centsToAmount } = require('../../nodes/shared/money.ts');
	for (const cents of [1, 10, 99, 100, 1234, 5051, 99999999999]) {
		const text = centsToAmount(cents);
		expect(amountToCents(text)).toBe(paymentAmountToCents(text));
	}
});
