import { guardKey, type RepeatGuard } from './guard';
import { centsToAmount } from './transport/amount';
import { fundsTransferStarted, isApproved } from './transport/outcome';
import type { Exchange } from './transport/send';
import type { ConnectAnswer, ConnectRequest } from './transport/types';

export type Operation = 'void' | 'refund' | 'voidOrRefund';

export interface OperationInput {
	operation: Operation;
	transactionId: string;
	/** Null for Void; the refund amount for Refund and Void or Refund. */
	amountCents: number | null;
}

export interface Attempt extends Exchange {
	request: ConnectRequest;
}

export type Send = (request: ConnectRequest) => Promise<Exchange>;

/** A claim stays only while InstaMed may have moved the money: approved, or outcome unknown. */
export function keepsClaim(answer: ConnectAnswer): boolean {
	return answer.result ? isApproved(answer.result) : answer.failure.mayHaveBeenProcessed;
}

export function repeatRefusedMessage(request: ConnectRequest): string {
	const what =
		request.amountCents === null ? 'A void' : `A refund of ${centsToAmount(request.amountCents)}`;
	return `${what} for transaction ${request.transactionId} was already sent from this workflow, so it was not sent again`;
}

/** The guard's refusal, told apart from other errors so a node can treat it as already done. */
export class RepeatRefused extends Error {
	constructor(readonly request: ConnectRequest) {
		super(repeatRefusedMessage(request));
		this.name = 'RepeatRefused';
	}
}

/**
 * Recorded before sending, so that even a crash right after sending cannot let a second one
 * through; released when InstaMed clearly did nothing, so a legitimate retry stays possible.
 */
async function attempt(send: Send, guard: RepeatGuard, request: ConnectRequest): Promise<Attempt> {
	const key = guardKey(request);
	if (!(await guard.claim(key))) throw new RepeatRefused(request);
	const exchange = await send(request);
	if (!keepsClaim(exchange.answer)) await guard.release(key);
	return { request, ...exchange };
}

/** Every call made for one item, in order; the last one decides the item's outcome. */
export async function performOperation(
	send: Send,
	guard: RepeatGuard,
	input: OperationInput,
): Promise<Attempt[]> {
	const { transactionId, amountCents } = input;
	const voidRequest: ConnectRequest = { action: 'void', transactionId, amountCents: null };
	const refundRequest: ConnectRequest = { action: 'refund', transactionId, amountCents };
	if (input.operation === 'refund') return [await attempt(send, guard, refundRequest)];
	const voided = await attempt(send, guard, voidRequest);
	if (
		input.operation === 'void' ||
		!voided.answer.result ||
		!fundsTransferStarted(voided.answer.result)
	) {
		return [voided];
	}
	return [voided, await attempt(send, guard, refundRequest)];
}
