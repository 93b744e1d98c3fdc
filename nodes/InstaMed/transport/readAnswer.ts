import type { HttpResponse, Transport } from './connect';

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

/** Answer fields keyed by lower-cased name: REST says TransactionStatus, NVP transactionStatus. */
export type AnswerFields = Record<string, string>;

const MAX_MESSAGE_LENGTH = 300;
const ERROR_MESSAGE_KEYS = [
	'errormessage',
	'message',
	'responsemessage',
	'error_description',
	'error',
];

function lowerCaseKeys(entries: Iterable<[string, unknown]>): AnswerFields {
	const fields: AnswerFields = {};
	for (const [name, value] of entries) {
		if (value !== null && typeof value !== 'object') fields[name.toLowerCase()] = String(value);
	}
	return fields;
}

function parseJsonObject(body: unknown): Record<string, unknown> | null {
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
		return body as Record<string, unknown>;
	}
	if (typeof body !== 'string') return null;
	try {
		const parsed: unknown = JSON.parse(body);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
			? (parsed as Record<string, unknown>)
			: null;
	} catch {
		return null;
	}
}

/** REST answers are JSON, NVP answers form-encoded; a body that is neither gives no fields. */
export function answerFields(transport: Transport, body: unknown): AnswerFields {
	if (transport === 'rest') return lowerCaseKeys(Object.entries(parseJsonObject(body) ?? {}));
	return typeof body === 'string' ? lowerCaseKeys(new URLSearchParams(body.trim()).entries()) : {};
}

function field(fields: AnswerFields, name: string): string | null {
	const value = fields[name.toLowerCase()]?.trim();
	return value ? value : null;
}

/** InstaMed's own words for an error, else a short excerpt of a plain-text body. */
export function errorMessage(fields: AnswerFields, body: unknown): string | null {
	for (const key of ERROR_MESSAGE_KEYS) {
		const message = field(fields, key);
		if (message) return message.slice(0, MAX_MESSAGE_LENGTH);
	}
	const text = typeof body === 'string' ? body.replace(/\s+/g, ' ').trim() : '';
	return text && !text.startsWith('<') ? text.slice(0, MAX_MESSAGE_LENGTH) : null;
}

function httpFailure(
	httpCode: string,
	message: string,
	mayHaveBeenProcessed: boolean,
): ConnectFailure {
	return { httpCode, message, networkCode: null, mayHaveBeenProcessed };
}

/**
 * Turns an HTTP answer into a result or a failure. A 4xx or an NVP errorCode means InstaMed
 * refused the call, so nothing happened; a 5xx or a 2xx without a transaction status may hide
 * a void or refund that did happen, so those are marked as possibly processed.
 */
export function readAnswer(transport: Transport, response: HttpResponse): ConnectAnswer {
	const { statusCode, body } = response;
	const fields = answerFields(transport, body);
	const message = errorMessage(fields, body);
	if (statusCode >= 400) {
		return {
			failure: httpFailure(
				String(statusCode),
				message ?? `InstaMed answered HTTP ${statusCode}`,
				statusCode >= 500,
			),
		};
	}
	const nvpErrorCode = field(fields, 'errorCode');
	if (nvpErrorCode) {
		return {
			failure: httpFailure(nvpErrorCode, message ?? `InstaMed error ${nvpErrorCode}`, false),
		};
	}
	const status = field(fields, 'transactionStatus');
	if (!status) {
		return {
			failure: httpFailure(
				String(statusCode),
				'InstaMed answered without a transaction status, so the outcome is unknown',
				true,
			),
		};
	}
	return {
		result: {
			transactionId: field(fields, 'transactionID'),
			status,
			responseCode: field(fields, 'responseCode'),
			responseMessage: field(fields, 'responseMessage'),
			authorizationNumber: field(fields, 'authorizationNumber'),
		},
	};
}
