import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { centsToAmount } from '../../shared/money';
import { readAnswer, type ConnectAnswer, type ConnectFailure } from './readAnswer';

/**
 * InstaMed Connect's two endpoints (void, simple refund), each over REST or NVP: the request,
 * its authentication, the send, and what a network error means for the money.
 */
export const CONNECT_CREDENTIAL = 'instaMedConnectApi';

export type ConnectAction = 'void' | 'refund';
export type Transport = 'rest' | 'nvp';

/** What the InstaMed Connect API credential provides. */
export interface ConnectAccount {
	baseUrl: string;
	apiKey: string;
	apiSecret: string;
	merchantId: string;
	storeId: string;
	terminalId: string;
	accountId: string;
	password: string;
}

export interface ConnectRequest {
	action: ConnectAction;
	transactionId: string;
	/** Refunds only; voids carry no amount. */
	amountCents: number | null;
}

/** What was sent, without secrets: httpOptions adds the credentials to the HTTP call only. */
export interface SentRequest extends IDataObject {
	transport: Transport;
	method: 'POST';
	url: string;
	fields: IDataObject;
}

export interface HttpResponse {
	statusCode: number;
	body: unknown;
}

/** Sends one request; resolves for every HTTP status and rejects only when no answer came. */
export type HttpSend = (options: IHttpRequestOptions) => Promise<HttpResponse>;

export interface Exchange {
	sent: SentRequest;
	answer: ConnectAnswer;
}

export async function readConnectAccount(ctx: IExecuteFunctions): Promise<ConnectAccount> {
	const credentials = await ctx.getCredentials(CONNECT_CREDENTIAL);
	const text = (name: string) => String(credentials[name] ?? '');
	return {
		baseUrl: text('baseUrl'),
		apiKey: text('apiKey'),
		apiSecret: text('apiSecret'),
		merchantId: text('merchantId'),
		storeId: text('storeId'),
		terminalId: text('terminalId'),
		accountId: text('accountId'),
		password: text('password'),
	};
}

/**
 * n8n's HTTP helper, bound to the Connect credential. The credential has no generic
 * `authenticate` on purpose (with one, n8n adds "Custom API Call" to this node and offers the keys
 * to the HTTP Request node; a node that moves money offers only its own operations), so it adds
 * nothing: httpOptions puts each transport's own authentication in the request.
 */
export function connectHttp(ctx: IExecuteFunctions): HttpSend {
	return async (options) =>
		(await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CONNECT_CREDENTIAL,
			options,
		)) as HttpResponse;
}

const REST_PATHS = { void: '/rest/payment/void', refund: '/rest/payment/refund-simple' };
const NVP_PATH = '/payment/NVP.aspx';
const NVP_ACTIONS = { void: 'Void', refund: 'SimpleRefund' };
// A void or refund waits for InstaMed's decision; past this the outcome is unknown.
const TIMEOUT_MS = 30_000;

function connectUrl(account: ConnectAccount, path: string): string {
	return `${account.baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

/** The request as sent, without credentials: safe to show in the output item. */
export function describeRequest(
	transport: Transport,
	account: ConnectAccount,
	request: ConnectRequest,
): SentRequest {
	const { merchantId, storeId, terminalId } = account;
	const amount = request.amountCents === null ? null : centsToAmount(request.amountCents);
	if (transport === 'rest') {
		return {
			transport,
			method: 'POST',
			url: connectUrl(account, REST_PATHS[request.action]),
			fields: {
				Outlet: { MerchantID: merchantId, StoreID: storeId, TerminalID: terminalId },
				TransactionID: request.transactionId,
				...(amount === null ? {} : { Amount: amount }),
			},
		};
	}
	return {
		transport,
		method: 'POST',
		url: connectUrl(account, NVP_PATH),
		fields: {
			transactionType: 'CreditCard',
			transactionAction: NVP_ACTIONS[request.action],
			MerchantID: merchantId,
			StoreID: storeId,
			TerminalID: terminalId,
			primaryCardPresentStatus: 'PresentManualKey',
			primaryTransactionID: request.transactionId,
			...(amount === null ? {} : { amount }),
		},
	};
}

/**
 * HTTP options for the request with its transport's own authentication and nothing else: REST
 * the API key and secret as headers, NVP HTTP Basic with the account ID and password.
 */
export function httpOptions(sent: SentRequest, account: ConnectAccount): IHttpRequestOptions {
	const common = {
		method: sent.method,
		url: sent.url,
		timeout: TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (sent.transport === 'rest') {
		const headers = {
			Accept: 'application/json',
			'Api-Key': account.apiKey,
			'Api-Secret': account.apiSecret,
		};
		return { ...common, json: true, body: sent.fields, headers };
	}
	return {
		...common,
		body: new URLSearchParams(sent.fields as Record<string, string>).toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		auth: { username: account.accountId, password: account.password },
	};
}

// Errors raised before any byte of the request left: InstaMed cannot have acted on it.
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** n8n wraps the network error in a NodeApiError whose cause carries the code. */
export function networkFailure(error: unknown): ConnectFailure {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	const found = cause?.code ?? code;
	const networkCode = typeof found === 'string' && found ? found : null;
	const notSent = networkCode !== null && NOT_SENT_CODES.has(networkCode);
	return {
		httpCode: null,
		networkCode,
		message: notSent
			? 'Could not reach InstaMed, so nothing was sent'
			: 'The connection to InstaMed failed before an answer came, so the outcome is unknown',
		mayHaveBeenProcessed: !notSent,
	};
}

/** All InstaMed Connect HTTP goes through here: build, send, read. */
export async function sendToConnect(
	http: HttpSend,
	transport: Transport,
	account: ConnectAccount,
	request: ConnectRequest,
): Promise<Exchange> {
	const sent = describeRequest(transport, account, request);
	try {
		const response = await http(httpOptions(sent, account));
		return { sent, answer: readAnswer(transport, response) };
	} catch (error) {
		return { sent, answer: { failure: networkFailure(error) } };
	}
}
