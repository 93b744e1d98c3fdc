import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

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

/** InstaMed's answer to a void or refund, the same whatever the transport. */
export interface ConnectResult {
	transactionId: string | null;
	status: string;
	responseCode: string | null;
	responseMessage: string | null;
	authorizationNumber: string | null;
}

/** No transaction status came back: InstaMed refused the call, or it never arrived. */
export interface ConnectFailure {
	/** HTTP status or InstaMed's NVP errorCode; null for network errors. */
	httpCode: string | null;
	message: string;
	/** Network error code (ECONNREFUSED, ETIMEDOUT, ...) when there was no HTTP answer. */
	networkCode: string | null;
	/** True when InstaMed may have acted on the call anyway (timeouts, 5xx, unreadable answers). */
	mayHaveBeenProcessed: boolean;
}

export type ConnectAnswer =
	| { result: ConnectResult; failure?: undefined }
	| { failure: ConnectFailure; result?: undefined };

/** What was sent, minus secrets (the auth headers are added by n8n, never part of this). */
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
