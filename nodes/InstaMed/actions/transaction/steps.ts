import { centsToAmount } from '../../../shared/money';
import type { Exchange } from '../../transport/send';
import type { ConnectAnswer, ConnectRequest } from '../../transport/types';
import { isApproved } from './outcome';
import { guardKey, type RepeatGuard } from './repeatGuard';

export type TransactionOperation = 'void' | 'refund' | 'voidOrRefund';

export interface TransactionInput {
	operation: TransactionOperation;
	transactionId: string;
	/** Null for Void; the refund amount for Refund and Void or Refund. */
	amountCents: number | null;
}

export interface Attempt extends Exchange {
	request: ConnectRequest;
}

export type Send = (request: ConnectRequest) => Promise<Exchange>;

/** The calls an operation is built from, each guarded against repeats. */
export interface TransactionSteps {
	void(): Promise<Attempt>;
	refund(): Promise<Attempt>;
}

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

export function transactionSteps(
	send: Send,
	guard: RepeatGuard,
	input: TransactionInput,
): TransactionSteps {
	const { transactionId, amountCents } = input;
	return {
		void: async () =>
			await attempt(send, guard, { action: 'void', transactionId, amountCents: null }),
		refund: async () =>
			await attempt(send, guard, { action: 'refund', transactionId, amountCents }),
	};
}
