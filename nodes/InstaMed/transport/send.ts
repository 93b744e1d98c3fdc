import { readAnswer } from './readAnswer';
import { describeRequest, httpOptions } from './requests';
import type {
	ConnectAccount,
	ConnectAnswer,
	ConnectFailure,
	ConnectRequest,
	HttpSend,
	SentRequest,
	Transport,
} from './types';

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

interface ErrorWithCode {
	code?: unknown;
	cause?: { code?: unknown };
}

/** n8n wraps the network error in a NodeApiError whose cause carries the code. */
export function networkCode(error: unknown): string | null {
	const { code, cause } = (error ?? {}) as ErrorWithCode;
	const found = cause?.code ?? code;
	return typeof found === 'string' && found ? found : null;
}

export function networkFailure(error: unknown): ConnectFailure {
	const code = networkCode(error);
	const notSent = code !== null && NOT_SENT_CODES.has(code);
	return {
		httpCode: null,
		networkCode: code,
		message: notSent
			? 'Could not reach InstaMed, so nothing was sent'
			: 'The connection to InstaMed failed before an answer came, so the outcome is unknown',
		mayHaveBeenProcessed: !notSent,
	};
}

export interface Exchange {
	sent: SentRequest;
	answer: ConnectAnswer;
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
