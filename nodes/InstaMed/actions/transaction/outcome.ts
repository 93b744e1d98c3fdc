import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { centsToAmount } from '../../../shared/money';
import type { ConnectFailure, ConnectResult } from '../../transport/readAnswer';
import type { Attempt, RepeatRefused, TransactionInput } from './execute';

/** What InstaMed's answers mean for an item: its output json, or the error it fails with. */

/** InstaMed's rule: success is decided by the transaction status, never by response codes. */
export function isApproved(result: ConnectResult): boolean {
	return result.status.toUpperCase() === 'C';
}

// InstaMed publishes no code for "void too late"; its wording is about the funds transfer
// having started (or the sale being settled), so the message is what we can match.
const FUNDS_TRANSFER_STARTED = /funds?\s+transfer|settle/i;

/** A declined void that InstaMed refused because the money is already moving: refund instead. */
export function fundsTransferStarted(result: ConnectResult): boolean {
	return !isApproved(result) && FUNDS_TRANSFER_STARTED.test(result.responseMessage ?? '');
}

/** An item that failed with something to show: on Continue On Fail its error item carries it. */
export class FailedWithOutput extends NodeOperationError {
	constructor(
		node: INode,
		message: string,
		readonly output: IDataObject,
		options: { itemIndex: number; description: string },
	) {
		super(node, message, options);
	}
}

export type Outcome =
	| { approved: true; json: IDataObject }
	| { approved: false; json: IDataObject; message: string; description: string };

function resultFields(result: ConnectResult): IDataObject {
	return {
		transactionId: result.transactionId,
		status: result.status,
		responseCode: result.responseCode,
		responseMessage: result.responseMessage,
		authorizationNumber: result.authorizationNumber,
	};
}

/** Reads an attempt whose answer carries a transaction status. */
export function describeOutcome(
	input: TransactionInput,
	attempts: Attempt[],
	result: ConnectResult,
): Outcome {
	const last = attempts[attempts.length - 1];
	const { action, amountCents } = last.request;
	const [first] = attempts;
	const json: IDataObject = {
		operation: input.operation,
		action,
		originalTransactionId: input.transactionId,
		...resultFields(result),
		amount: amountCents === null ? null : centsToAmount(amountCents),
		amountCents,
		sent: last.sent,
		...(attempts.length > 1 && first.answer.result
			? { voidAttempt: resultFields(first.answer.result) }
			: {}),
	};
	if (isApproved(result)) return { approved: true, json };
	return {
		approved: false,
		json,
		message: `InstaMed declined the ${action}: ${result.responseMessage ?? 'no reason given'}`,
		description: `Transaction status ${result.status}, response code ${result.responseCode ?? 'none'}`,
	};
}

/** A repeat the guard refused, reported as already done (nothing was sent this time). */
export function describeAlreadySent(input: TransactionInput, refused: RepeatRefused): IDataObject {
	const { action, amountCents } = refused.request;
	return {
		operation: input.operation,
		action,
		originalTransactionId: input.transactionId,
		alreadySent: true,
		message: refused.message,
		amount: amountCents === null ? null : centsToAmount(amountCents),
		amountCents,
	};
}

const UNKNOWN_OUTCOME_ADVICE =
	'The outcome is unknown: check the transaction in InstaMed before trying again. ' +
	'The double-refund guard keeps refusing this exact request until Refuse Repeats is turned off.';

export function connectApiError(
	node: INode,
	failure: ConnectFailure,
	action: string,
	itemIndex: number,
): NodeApiError {
	const cause = failure.httpCode
		? `InstaMed answered ${failure.httpCode}`
		: `Network error ${failure.networkCode ?? 'without a code'}`;
	const description = failure.mayHaveBeenProcessed
		? `${cause}. ${UNKNOWN_OUTCOME_ADVICE}`
		: `${cause}.`;
	// The code goes in the description only: n8n replaces messages that name a network code
	// with its generic "retry" hints, which are wrong advice for money that may have moved.
	return new NodeApiError(node, { message: failure.message } as JsonObject, {
		message: `InstaMed ${action} failed: ${failure.message}`,
		description,
		httpCode: failure.httpCode ?? undefined,
		itemIndex,
	});
}
