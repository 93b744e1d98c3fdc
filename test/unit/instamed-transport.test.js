'use strict';

const http = require('node:http');
const { paymentAmountToCents, centsToAmount } = require('../../nodes/shared/money.ts');
const {
	describeRequest,
	httpOptions,
	networkFailure,
	sendToConnect,
} = require('../../nodes/InstaMed/transport/connect.ts');
const { answerFields, readAnswer } = require('../../nodes/InstaMed/transport/readAnswer.ts');
const {
	fundsTransferStarted,
	isApproved,
} = require('../../nodes/InstaMed/actions/transaction/outcome.ts');
const { fetchHttp } = require('./instamed-fakes');

const account = {
	baseUrl: 'https://connect.example.test/',
	apiKey: 'rest-key',
	apiSecret: 'rest-secret',
	merchantId: 'M1',
	storeId: 'S1',
	terminalId: 'T1',
	accountId: 'me@example.test',
	password: 'nvp-password',
};
const voidRequest = { action: 'void', transactionId: 'ABC123', amountCents: null };
const refundRequest = { action: 'refund', transactionId: 'ABC123', amountCents: 1234 };

describe('amounts', () => {
	test.each([
		['12.34', 1234],
		['12.3', 1230],
		['12', 1200],
		[' 0.01 ', 1],
		['999999999.99', 99999999999],
		[50, 5000],
		[12.5, 1250],
	])('%j is %d cents', (input, cents) => {
		expect(paymentAmountToCents(input)).toBe(cents);
	});

	test.each([
		['0'],
		['0.00'],
		['-1.00'],
		['12.345'],
		['1,000.00'],
		['1e3'],
		['12.'],
		['.5'],
		[''],
		[null],
		[undefined],
		[0.1 + 0.2],
		['1000000000.00'],
		[{}],
	])('%j is refused', (input) => {
		expect(() => paymentAmountToCents(input)).toThrow(
			/positive amount with at most two decimal places/,
		);
	});

	test('cents print with two places', () => {
		expect(centsToAmount(1)).toBe('0.01');
		expect(centsToAmount(1230)).toBe('12.30');
		expect(centsToAmount(99999999999)).toBe('999999999.99');
	});
});

describe('request building', () => {
	test('REST void: outlet and transaction id, no amount', () => {
		expect(describeRequest('rest', account, voidRequest).fields).toEqual({
			Outlet: { MerchantID: 'M1', StoreID: 'S1', TerminalID: 'T1' },
			TransactionID: 'ABC123',
		});
	});

	test('REST refund carries the amount as a two-place string', () => {
		expect(describeRequest('rest', account, refundRequest).fields.Amount).toBe('12.34');
	});

	test('NVP void and simple refund follow InstaMed samples', () => {
		expect(describeRequest('nvp', account, voidRequest).fields).toEqual({
			transactionType: 'CreditCard',
			transactionAction: 'Void',
			MerchantID: 'M1',
			StoreID: 'S1',
			TerminalID: 'T1',
			primaryCardPresentStatus: 'PresentManualKey',
			primaryTransactionID: 'ABC123',
		});
		expect(describeRequest('nvp', account, refundRequest).fields).toMatchObject({
			transactionAction: 'SimpleRefund',
			amount: '12.34',
		});
	});

	test('URLs per transport, trailing slash of the base URL ignored', () => {
		expect(describeRequest('rest', account, voidRequest).url).toBe(
			'https://connect.example.test/rest/payment/void',
		);
		expect(describeRequest('rest', account, refundRequest).url).toBe(
			'https://connect.example.test/rest/payment/refund-simple',
		);
		expect(describeRequest('nvp', account, refundRequest).url).toBe(
			'https://connect.example.test/payment/NVP.aspx',
		);
	});

	test('the description of what was sent holds no secret', () => {
		for (const transport of ['rest', 'nvp']) {
			const text = JSON.stringify(describeRequest(transport, account, refundRequest));
			expect(text).not.toContain('nvp-password');
			expect(text).not.toContain('me@example.test');
		}
	});

	test('REST options: JSON body, every status answered, no Basic auth', () => {
		const options = httpOptions(describeRequest('rest', account, refundRequest), account);
		expect(options).toMatchObject({
			method: 'POST',
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		expect(options.auth).toBeUndefined();
		expect(options.headers).toEqual({
			Accept: 'application/json',
			'Api-Key': 'rest-key',
			'Api-Secret': 'rest-secret',
		});
		expect(options.timeout).toBeGreaterThan(0);
	});

	test('NVP options: form body and Basic auth with the account id', () => {
		const options = httpOptions(describeRequest('nvp', account, refundRequest), account);
		expect(options.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
		expect(options.auth).toEqual({ username: 'me@example.test', password: 'nvp-password' });
		expect(new URLSearchParams(options.body).get('amount')).toBe('12.34');
	});
});

test('on the wire, each transport carries only its own auth: NVP no API key, REST no Basic header', async () => {
	const seen = [];
	const server = http.createServer((req, res) => {
		seen.push(req.headers);
		res.end('{}');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const local = { ...account, baseUrl: `http://127.0.0.1:${server.address().port}` };
	try {
		await sendToConnect(fetchHttp(), 'rest', local, refundRequest);
		await sendToConnect(fetchHttp(), 'nvp', local, refundRequest);
	} finally {
		server.close();
	}
	const [rest, nvp] = seen;
	expect(rest).toMatchObject({ 'api-key': 'rest-key', 'api-secret': 'rest-secret' });
	expect(rest.authorization).toBeUndefined();
	const basic = Buffer.from('me@example.test:nvp-password').toString('base64');
	expect(nvp.authorization).toBe(`Basic ${basic}`);
	expect(nvp['api-key']).toBeUndefined();
	expect(nvp['api-secret']).toBeUndefined();
});

describe('reading answers', () => {
	const approvedRest = {
		TransactionID: 'NEW1',
		TransactionStatus: 'C',
		ResponseCode: '000',
		ResponseMessage: 'APPROVAL',
		AuthorizationNumber: 'A1B2C3',
		IsPartiallyApproved: false,
	};

	test('REST approval', () => {
		expect(readAnswer('rest', { statusCode: 200, body: approvedRest })).toEqual({
			result: {
				transactionId: 'NEW1',
				status: 'C',
				responseCode: '000',
				responseMessage: 'APPROVAL',
				authorizationNumber: 'A1B2C3',
			},
		});
	});

	test('REST JSON arriving as text is parsed too', () => {
		const answer = readAnswer('rest', { statusCode: 200, body: JSON.stringify(approvedRest) });
		expect(answer.result.status).toBe('C');
	});

	test('a decline is a result (HTTP 200), not a failure', () => {
		const answer = readAnswer('rest', {
			statusCode: 200,
			body: { ...approvedRest, TransactionStatus: 'D', ResponseMessage: 'Declined' },
		});
		expect(answer.result.status).toBe('D');
		expect(isApproved(answer.result)).toBe(false);
	});

	test('NVP answer fields are read case-insensitively', () => {
		const body =
			'responseCode=000&responseMessage=APPROVED&transactionStatus=C&primaryTransactionID=P1&primaryTransactionStatus=V';
		expect(readAnswer('nvp', { statusCode: 200, body }).result).toEqual({
			transactionId: null,
			status: 'C',
			responseCode: '000',
			responseMessage: 'APPROVED',
			authorizationNumber: null,
		});
		expect(answerFields('nvp', body).primarytransactionstatus).toBe('V');
	});

	test('4xx: InstaMed refused, nothing happened, its message kept', () => {
		expect(
			readAnswer('rest', { statusCode: 400, body: { Message: 'TransactionID not found' } }),
		).toEqual({
			failure: {
				httpCode: '400',
				message: 'TransactionID not found',
				networkCode: null,
				mayHaveBeenProcessed: false,
			},
		});
	});

	test('NVP errorCode in a 200 answer is a failure with that code', () => {
		const body =
			'errorCode=400&errorMessage=An unexpected error occurred with Reference Number 02198MGNBZ';
		expect(readAnswer('nvp', { statusCode: 200, body }).failure).toEqual({
			httpCode: '400',
			message: 'An unexpected error occurred with Reference Number 02198MGNBZ',
			networkCode: null,
			mayHaveBeenProcessed: false,
		});
	});

	test('5xx may hide a refund that happened', () => {
		const answer = readAnswer('rest', { statusCode: 502, body: '<html>Bad gateway</html>' });
		expect(answer.failure).toMatchObject({
			httpCode: '502',
			message: 'InstaMed answered HTTP 502',
			mayHaveBeenProcessed: true,
		});
	});

	test('200 without a transaction status: outcome unknown', () => {
		const answer = readAnswer('rest', { statusCode: 200, body: 'OK' });
		expect(answer.failure.mayHaveBeenProcessed).toBe(true);
	});

	test('plain-text error bodies are used, shortened', () => {
		const answer = readAnswer('rest', { statusCode: 403, body: `Forbidden ${'x'.repeat(500)}` });
		expect(answer.failure.message.startsWith('Forbidden x')).toBe(true);
		expect(answer.failure.message.length).toBe(300);
	});
});

describe('network failures', () => {
	test('refused connections sent nothing', () => {
		const failure = networkFailure({ cause: { code: 'ECONNREFUSED' } });
		expect(failure).toEqual({
			httpCode: null,
			networkCode: 'ECONNREFUSED',
			message: 'Could not reach InstaMed, so nothing was sent',
			mayHaveBeenProcessed: false,
		});
	});

	test.each(['ETIMEDOUT', 'ECONNRESET', 'ECONNABORTED', undefined])(
		'%s leaves the outcome unknown',
		(code) => {
			expect(networkFailure(Object.assign(new Error('x'), { code })).mayHaveBeenProcessed).toBe(
				true,
			);
		},
	);

	test('sendToConnect turns a rejected HTTP call into a failure answer', async () => {
		const http = async () => {
			throw Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
		};
		const exchange = await sendToConnect(http, 'rest', account, refundRequest);
		expect(exchange.answer.failure.networkCode).toBe('ETIMEDOUT');
		expect(exchange.sent.fields.Amount).toBe('12.34');
	});
});

describe('funds transfer detection', () => {
	const declined = (responseMessage) => ({
		transactionId: null,
		status: 'D',
		responseCode: '058',
		responseMessage,
		authorizationNumber: null,
	});

	test.each([
		'Void not allowed: the funds transfer has started. Refund the transaction instead.',
		'Funds transfer initiated',
		'Transaction already settled',
	])('"%s" means refund instead', (message) => {
		expect(fundsTransferStarted(declined(message))).toBe(true);
	});

	test.each(['Transaction has already been voided', 'Declined', null])(
		'"%s" does not',
		(message) => {
			expect(fundsTransferStarted(declined(message))).toBe(false);
		},
	);

	test('an approved void never falls back', () => {
		expect(fundsTransferStarted({ ...declined('funds transfer'), status: 'C' })).toBe(false);
	});
});
