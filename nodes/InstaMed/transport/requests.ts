import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { centsToAmount } from '../../shared/money';
import { connectAuth } from './auth';
import type { ConnectAccount, ConnectRequest, SentRequest, Transport } from './types';

const REST_PATHS = { void: '/rest/payment/void', refund: '/rest/payment/refund-simple' };
const NVP_PATH = '/payment/NVP.aspx';
const NVP_ACTIONS = { void: 'Void', refund: 'SimpleRefund' };
// A void or refund waits for InstaMed's decision; past this the outcome is unknown (see send.ts).
const TIMEOUT_MS = 30_000;

export function connectUrl(account: ConnectAccount, path: string): string {
	return `${account.baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

export function restFields(account: ConnectAccount, request: ConnectRequest): IDataObject {
	return {
		Outlet: {
			MerchantID: account.merchantId,
			StoreID: account.storeId,
			TerminalID: account.terminalId,
		},
		TransactionID: request.transactionId,
		...(request.amountCents === null ? {} : { Amount: centsToAmount(request.amountCents) }),
	};
}

export function nvpFields(
	account: ConnectAccount,
	request: ConnectRequest,
): Record<string, string> {
	return {
		transactionType: 'CreditCard',
		transactionAction: NVP_ACTIONS[request.action],
		MerchantID: account.merchantId,
		StoreID: account.storeId,
		TerminalID: account.terminalId,
		primaryCardPresentStatus: 'PresentManualKey',
		primaryTransactionID: request.transactionId,
		...(request.amountCents === null ? {} : { amount: centsToAmount(request.amountCents) }),
	};
}

/** The request as sent, without credentials: safe to show in the output item. */
export function describeRequest(
	transport: Transport,
	account: ConnectAccount,
	request: ConnectRequest,
): SentRequest {
	return transport === 'rest'
		? {
				transport,
				method: 'POST',
				url: connectUrl(account, REST_PATHS[request.action]),
				fields: restFields(account, request),
			}
		: {
				transport,
				method: 'POST',
				url: connectUrl(account, NVP_PATH),
				fields: nvpFields(account, request),
			};
}

/** HTTP options for the request, with the transport's own authentication (auth.ts). */
export function httpOptions(sent: SentRequest, account: ConnectAccount): IHttpRequestOptions {
	const common = {
		method: sent.method,
		url: sent.url,
		timeout: TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const { headers: authHeaders, auth } = connectAuth(sent.transport, account);
	if (sent.transport === 'rest') {
		const headers = { Accept: 'application/json', ...authHeaders };
		return { ...common, json: true, body: sent.fields, headers };
	}
	return {
		...common,
		body: new URLSearchParams(sent.fields as Record<string, string>).toString(),
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...authHeaders },
		auth,
	};
}
