#!/usr/bin/env node
/**
 * InstaMed Connect EMULATOR: a local stand-in for InstaMed's void and refund web services, for
 * tests and demos. It is not InstaMed and proves nothing about InstaMed itself. It follows
 * InstaMed's published Connect interfaces: REST (Api-Key / Api-Secret headers, JSON) at
 * POST /rest/payment/void and /rest/payment/refund-simple, NVP (Basic auth, form-encoded in and out,
 * errorCode=...&errorMessage=... errors) at POST /payment/NVP.aspx.
 *
 * Rules enforced (published by InstaMed): success is TransactionStatus C, a decline is HTTP 200 with
 * another status (D here); no void once the funds transfer has started (a "settled" sale); simple
 * refunds of one sale add up to at most its amount; refunds at most one year after the sale; an
 * unknown transaction id is an error.
 *
 * Where InstaMed publishes nothing, this emulator chooses (so tests can rely on it):
 * - a void after the funds transfer started is declined with ResponseCode 058 and the message
 *   "Void not allowed: the funds transfer has started. Refund the transaction instead.";
 * - amounts whose cents are 51 (12.51, 0.51, ...) are declined with ResponseCode 005 "Declined":
 *   the refund amount for refunds, the sale amount for voids;
 * - errors are HTTP 400 (bad request, unknown id), 401 (bad keys) with {"Message": "..."} for REST
 *   and errorCode/errorMessage bodies for NVP; a void keeps the sale's id, a refund gets a new one;
 * - GET /rest/outlet?MerchantID=&StoreID=&TerminalID= is the read-only call the credential test uses
 *   (200 for the configured outlet, 404 otherwise, 401 for bad keys).
 *
 * Money is integer cents inside. Control endpoints (for shells and other processes; no auth, the
 * server listens on 127.0.0.1 only): POST /_emulator/transactions {amount, id?, settled?, saleDate?}
 * seeds a sale, POST /_emulator/transactions/<id>/settle starts its funds transfer,
 * GET /_emulator/transactions/<id> and GET /_emulator/calls inspect.
 *
 * Usage: const emulator = createConnectEmulator(); await emulator.start(); ... await emulator.stop();
 * Shell: npm run emulator -- --port 8090
 */
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');
const { readBody } = require('./read-body');
const DEFAULTS = {
	apiKey: 'emulator-api-key',
	apiSecret: 'emulator-api-secret',
	accountId: 'emulator@instamed.test',
	password: 'emulator-password',
	merchantId: '123456789',
	storeId: '0001',
	terminalId: '0002',
};

// InstaMed Connect's amount: at most nine digits, at most two decimals, no sign. The emulator
// reads it with its own parser, not the package's, so that a disagreement between the two shows.
const CONNECT_AMOUNT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Integer cents of an amount InstaMed Connect accepts ('12.3' -> 1230); null for any other. */
function amountToCents(value) {
	const text = typeof value === 'number' ? String(value) : value;
	const match = typeof text === 'string' ? CONNECT_AMOUNT.exec(text) : null;
	if (match === null) return null;
	const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
	return cents > 0 ? cents : null;
}

/** Cents as InstaMed's decimal text: 1230 -> '12.30'. */
function centsToAmount(cents) {
	return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Which credentials a request carried: a REST call should bring only its keys, NVP only Basic. */
function authSent(headers) {
	return {
		apiKey: 'api-key' in headers || 'api-secret' in headers,
		basic: /^basic /i.test(headers.authorization ?? ''),
	};
}

function newTransactionId() {
	return crypto.randomBytes(16).toString('hex').toUpperCase();
}

function newAuthorizationNumber() {
	return crypto.randomBytes(3).toString('hex').toUpperCase();
}

function oneYearAfter(date) {
	const limit = new Date(date);
	limit.setUTCFullYear(limit.getUTCFullYear() + 1);
	return limit;
}

const DECLINES = {
	voided: ['059', 'Transaction has already been voided'],
	fundsTransferStarted: [
		'058',
		'Void not allowed: the funds transfer has started. Refund the transaction instead.',
	],
	hasRefunds: ['060', 'Void not allowed: the transaction has refunds'],
	overRefund: ['061', 'Refund amount exceeds the refundable balance'],
	tooLate: ['062', 'Refund not allowed: more than one year since the sale'],
	testAmount: ['005', 'Declined'],
};

/** The bank-side rules, shared by REST and NVP. Returns {error}, {decline} or {approved}. */
function createLedger(config, now) {
	const transactions = new Map();

	function find(outlet, transactionId) {
		const transaction = transactions.get(String(transactionId ?? '').toUpperCase());
		const sameOutlet =
			transaction &&
			outlet.merchantId === transaction.outlet.merchantId &&
			outlet.storeId === transaction.outlet.storeId &&
			outlet.terminalId === transaction.outlet.terminalId;
		return sameOutlet ? transaction : null;
	}

	function decline(name, transactionId, extra = '') {
		const [code, message] = DECLINES[name];
		return { decline: { transactionId, code, message: message + extra } };
	}

	return {
		transactions,
		seed({ id, amount, settled = false, saleDate, outlet } = {}) {
			const amountCents = amountToCents(amount);
			if (amountCents === null) throw new Error(`Invalid sale amount ${amount}`);
			const transaction = {
				id: String(id ?? newTransactionId()).toUpperCase(),
				amountCents,
				refundedCents: 0,
				refunds: [],
				status: 'C',
				settled,
				saleDate: new Date(saleDate ?? now()),
				outlet: {
					merchantId: config.merchantId,
					storeId: config.storeId,
					terminalId: config.terminalId,
					...outlet,
				},
			};
			transactions.set(transaction.id, transaction);
			return transaction;
		},
		void(outlet, transactionId) {
			const transaction = find(outlet, transactionId);
			if (!transaction) return { error: { status: 400, message: 'TransactionID not found' } };
			const { id } = transaction;
			if (transaction.status === 'V') return decline('voided', id);
			if (transaction.settled) return decline('fundsTransferStarted', id);
			if (transaction.refundedCents > 0) return decline('hasRefunds', id);
			if (transaction.amountCents % 100 === 51) return decline('testAmount', id);
			transaction.status = 'V';
			return { approved: { transactionId: id, primaryTransactionStatus: 'V' } };
		},
		refund(outlet, transactionId, amount) {
			const transaction = find(outlet, transactionId);
			if (!transaction) return { error: { status: 400, message: 'TransactionID not found' } };
			const cents = amountToCents(amount);
			if (cents === null) return { error: { status: 400, message: 'Invalid Amount' } };
			const refundId = newTransactionId();
			if (transaction.status === 'V') return decline('voided', refundId);
			if (now() > oneYearAfter(transaction.saleDate)) return decline('tooLate', refundId);
			const balance = transaction.amountCents - transaction.refundedCents;
			if (cents > balance) {
				return decline('overRefund', refundId, ` of ${centsToAmount(balance)}`);
			}
			if (cents % 100 === 51) return decline('testAmount', refundId);
			transaction.refundedCents += cents;
			transaction.refunds.push({ id: refundId, amountCents: cents });
			return {
				approved: { transactionId: refundId, primaryTransactionStatus: transaction.status },
			};
		},
	};
}

function send(res, statusCode, contentType, body, headers = {}) {
	res.writeHead(statusCode, { 'Content-Type': contentType, ...headers });
	res.end(body);
}

function sendJson(res, statusCode, value) {
	send(res, statusCode, 'application/json; charset=utf-8', JSON.stringify(value));
}

function sendForm(res, statusCode, fields, headers) {
	const body = new URLSearchParams(fields).toString();
	send(res, statusCode, 'application/x-www-form-urlencoded', body, headers);
}

function basicAuth(header) {
	const match = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!match) return null;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function restOutlet(body) {
	const outlet = body?.Outlet ?? {};
	return {
		merchantId: String(outlet.MerchantID ?? ''),
		storeId: String(outlet.StoreID ?? ''),
		terminalId: String(outlet.TerminalID ?? ''),
	};
}

function restAnswer(outcome) {
	if (outcome.error)
		return { statusCode: outcome.error.status, body: { Message: outcome.error.message } };
	const approved = outcome.approved;
	const result = approved ?? outcome.decline;
	return {
		statusCode: 200,
		body: {
			TransactionID: result.transactionId,
			TransactionStatus: approved ? 'C' : 'D',
			ResponseCode: approved ? '000' : result.code,
			ResponseMessage: approved ? 'APPROVED' : result.message,
			AuthorizationNumber: approved ? newAuthorizationNumber() : null,
			IsPartiallyApproved: false,
		},
	};
}

function nvpAnswer(outcome, primaryTransactionId, now) {
	if (outcome.error) {
		return {
			statusCode: outcome.error.status,
			fields: { errorCode: String(outcome.error.status), errorMessage: outcome.error.message },
		};
	}
	const approved = outcome.approved;
	const result = approved ?? outcome.decline;
	const isVoid = approved && result.transactionId === primaryTransactionId;
	return {
		statusCode: 200,
		fields: {
			responseCode: approved ? '000' : result.code,
			responseMessage: approved ? 'APPROVED' : result.message,
			transactionStatus: approved ? 'C' : 'D',
			primaryTransactionID: primaryTransactionId,
			...(approved ? { primaryTransactionStatus: result.primaryTransactionStatus } : {}),
			...(isVoid ? {} : { transactionID: result.transactionId }),
			...(approved && !isVoid
				? {
						authorizationNumber: newAuthorizationNumber(),
						authorizationText: 'THE ABOVE AMOUNT HAS BEEN REFUNDED.',
					}
				: {}),
			transactionDate: now().toISOString(),
		},
	};
}

function transactionView(transaction) {
	return {
		id: transaction.id,
		amount: centsToAmount(transaction.amountCents),
		amountCents: transaction.amountCents,
		refundedCents: transaction.refundedCents,
		refunds: transaction.refunds.map((refund) => ({
			id: refund.id,
			amount: centsToAmount(refund.amountCents),
			amountCents: refund.amountCents,
		})),
		status: transaction.status,
		settled: transaction.settled,
		saleDate: transaction.saleDate.toISOString(),
		outlet: transaction.outlet,
	};
}

/**
 * @param {object} [options] keys and outlet (see DEFAULTS), and `now` (a clock, for the one-year rule)
 */
function createConnectEmulator(options = {}) {
	const config = { ...DEFAULTS, ...options };
	const now = options.now ?? (() => new Date());
	const ledger = createLedger(config, now);
	const calls = [];
	let server = null;
	let baseUrl = null;

	function record(call) {
		calls.push({ at: now().toISOString(), ...call });
	}

	function recordAnswer(call, statusCode, transactionStatus, message) {
		record({ ...call, statusCode, transactionStatus: transactionStatus ?? null, message });
	}

	/** A void or refund on the ledger, and the call as recorded before its answer is known. */
	function act(req, transport, action, outlet, transactionId, amount) {
		const outcome =
			action === 'void'
				? ledger.void(outlet, transactionId)
				: ledger.refund(outlet, transactionId, amount);
		const call = {
			transport,
			action,
			transactionId: transactionId ?? null,
			amount: amount ?? null,
			authSent: authSent(req.headers),
		};
		return { outcome, call };
	}

	async function handleRest(req, res, action) {
		if (
			req.headers['api-key'] !== config.apiKey ||
			req.headers['api-secret'] !== config.apiSecret
		) {
			record({ transport: 'rest', action, statusCode: 401 });
			return sendJson(res, 401, { Message: 'Authorization has been denied for this request.' });
		}
		let body;
		try {
			body = JSON.parse(await readBody(req));
		} catch {
			record({ transport: 'rest', action, statusCode: 400 });
			return sendJson(res, 400, { Message: 'The request body is not valid JSON' });
		}
		const { outcome, call } = act(
			req,
			'rest',
			action,
			restOutlet(body),
			body.TransactionID,
			body.Amount,
		);
		const answer = restAnswer(outcome);
		const { TransactionStatus, ResponseMessage, Message } = answer.body;
		recordAnswer(call, answer.statusCode, TransactionStatus, ResponseMessage ?? Message);
		return sendJson(res, answer.statusCode, answer.body);
	}

	async function handleNvp(req, res) {
		const credentials = basicAuth(req.headers.authorization);
		if (credentials?.user !== config.accountId || credentials?.password !== config.password) {
			record({ transport: 'nvp', statusCode: 401 });
			return sendForm(
				res,
				401,
				{ errorCode: '401', errorMessage: 'Invalid account ID or password' },
				{ 'WWW-Authenticate': 'Basic realm="InstaMed Connect emulator"' },
			);
		}
		const fields = Object.fromEntries(new URLSearchParams(await readBody(req)));
		const action = { Void: 'void', SimpleRefund: 'refund' }[fields.transactionAction];
		if (!action) {
			record({ transport: 'nvp', statusCode: 400 });
			return sendForm(res, 400, {
				errorCode: '400',
				errorMessage: 'Unsupported transactionAction',
			});
		}
		const outlet = {
			merchantId: fields.MerchantID ?? '',
			storeId: fields.StoreID ?? '',
			terminalId: fields.TerminalID ?? '',
		};
		const transactionId = fields.primaryTransactionID;
		const { outcome, call } = act(req, 'nvp', action, outlet, transactionId, fields.amount);
		const answer = nvpAnswer(outcome, transactionId, now);
		const { transactionStatus, responseMessage, errorMessage } = answer.fields;
		recordAnswer(call, answer.statusCode, transactionStatus, responseMessage ?? errorMessage);
		return sendForm(res, answer.statusCode, answer.fields);
	}

	function handleOutletLookup(req, res, query) {
		if (
			req.headers['api-key'] !== config.apiKey ||
			req.headers['api-secret'] !== config.apiSecret
		) {
			record({ transport: 'rest', action: 'outlet', statusCode: 401 });
			return sendJson(res, 401, { Message: 'Authorization has been denied for this request.' });
		}
		const known =
			query.get('MerchantID') === config.merchantId &&
			query.get('StoreID') === config.storeId &&
			query.get('TerminalID') === config.terminalId;
		record({ transport: 'rest', action: 'outlet', statusCode: known ? 200 : 404 });
		if (!known) return sendJson(res, 404, { Message: 'Outlet not found' });
		return sendJson(res, 200, {
			MerchantID: config.merchantId,
			StoreID: config.storeId,
			TerminalID: config.terminalId,
			Status: 'Active',
		});
	}

	async function handleControl(req, res, path) {
		const match = /^\/_emulator\/transactions\/([^/]+)(\/settle)?$/.exec(path);
		if (req.method === 'GET' && path === '/_emulator/calls') return sendJson(res, 200, calls);
		if (req.method === 'POST' && path === '/_emulator/transactions') {
			try {
				return sendJson(res, 201, transactionView(ledger.seed(JSON.parse(await readBody(req)))));
			} catch (error) {
				return sendJson(res, 400, { Message: error.message });
			}
		}
		const transaction = match && ledger.transactions.get(match[1].toUpperCase());
		if (!transaction) return sendJson(res, 404, { Message: 'Unknown transaction' });
		if (req.method === 'POST' && match[2]) transaction.settled = true;
		return sendJson(res, 200, transactionView(transaction));
	}

	async function route(req, res) {
		const url = new URL(req.url, 'http://emulator');
		const path = url.pathname;
		if (path.startsWith('/_emulator/')) return handleControl(req, res, path);
		if (req.method === 'GET' && path === '/rest/outlet')
			return handleOutletLookup(req, res, url.searchParams);
		if (req.method === 'POST' && path === '/rest/payment/void') return handleRest(req, res, 'void');
		if (req.method === 'POST' && path === '/rest/payment/refund-simple') {
			return handleRest(req, res, 'refund');
		}
		if (req.method === 'POST' && path.toLowerCase() === '/payment/nvp.aspx')
			return handleNvp(req, res);
		return sendJson(res, 404, { Message: 'No such InstaMed Connect endpoint in this emulator' });
	}

	return {
		config,
		calls,
		get url() {
			return baseUrl;
		},
		/** Listens on 127.0.0.1; port 0 (the default) picks a free one. Resolves with the base URL. */
		start(port = 0) {
			server = http.createServer((req, res) => {
				route(req, res).catch((error) => sendJson(res, 500, { Message: error.message }));
			});
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, '127.0.0.1', () => {
					baseUrl = `http://127.0.0.1:${server.address().port}`;
					resolve(baseUrl);
				});
			});
		},
		stop() {
			return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
		},
		/** Seeds a sale ({amount: '50.00', id?, settled?, saleDate?, outlet?}); returns its view. */
		seedTransaction(sale) {
			return transactionView(ledger.seed(sale));
		},
		/** Starts the funds transfer: voids are refused from now on. */
		settle(id) {
			ledger.transactions.get(String(id).toUpperCase()).settled = true;
		},
		transaction(id) {
			const transaction = ledger.transactions.get(String(id).toUpperCase());
			return transaction ? transactionView(transaction) : null;
		},
	};
}

module.exports = {
	amountToCents,
	createConnectEmulator,
	EMULATOR_DEFAULTS: DEFAULTS,
};

if (require.main === module) {
	const portIndex = process.argv.indexOf('--port');
	const port = portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0;
	const emulator = createConnectEmulator();
	emulator.start(port).then((url) => {
		console.log(`InstaMed Connect EMULATOR (not InstaMed) listening on ${url}`);
		console.log(JSON.stringify({ baseUrl: url, ...emulator.config }, null, 2));
		console.log(
			`Seed a sale: curl -s -X POST ${url}/_emulator/transactions -d '{"amount":"50.00"}'`,
		);
	});
	const shutdown = () => emulator.stop().then(() => process.exit(0));
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}
