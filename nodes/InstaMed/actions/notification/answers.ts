import type { IN8nHttpFullResponse } from 'n8n-workflow';

import {
	ANSWER_HEADER,
	CONFIRMED,
	REASON_HEADER,
	REFUSED,
	toReasonPhrase,
} from '../../../shared/instaMedAnswer';
import { EXECUTION_HEADER } from './identity';

/** 200 with no body, so no patient data goes back to InstaMed. */
export function confirmedAnswer(executionId: string): IN8nHttpFullResponse {
	return {
		statusCode: 200,
		headers: { [ANSWER_HEADER]: CONFIRMED, [EXECUTION_HEADER]: executionId },
		body: '',
	};
}

/** The status, and the reason as one short line in both the reason phrase and the body. */
export function refusalAnswer(
	statusCode: number,
	reason: string,
	executionId: string,
): IN8nHttpFullResponse {
	const phrase = toReasonPhrase(reason) || 'Not stored';
	return {
		statusCode,
		headers: {
			[ANSWER_HEADER]: REFUSED,
			[EXECUTION_HEADER]: executionId,
			[REASON_HEADER]: phrase,
			'content-type': 'text/plain; charset=utf-8',
		},
		body: phrase,
	};
}

/** Refuse's status must be an error InstaMed retries: an integer from 400 to 599. */
export function refusalStatus(value: unknown): number | undefined {
	const status = Number(value);
	return Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

/** A reason from an expression: text as it is, an error object by its message, else a default. */
export function reasonText(value: unknown): string {
	if (typeof value === 'string' && value.trim()) return value;
	if (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { message?: unknown }).message === 'string'
	) {
		return (value as { message: string }).message;
	}
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return 'Not stored';
}
