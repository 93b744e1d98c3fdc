import {
	NodeError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { centsToAmount, paymentAmountToCents } from '../../../shared/money';
import {
	connectHttp,
	readConnectAccount,
	sendToConnect,
	type ConnectAccount,
	type ConnectRequest,
	type Exchange,
	type HttpSend,
	type Transport,
} from '../../transport/connect';
import type { ConnectAnswer } from '../../transport/readAnswer';
import {
	FailedWithOutput,
	connectApiError,
	describeAlreadySent,
	describeOutcome,
	isApproved,
} from './outcome';
import {
	databaseGuard,
	guardConflicts,
	guardKey,
	isGuardedTransaction,
	noGuard,
	type RepeatGuard,
	type WorkflowStep,
} from './repeatGuard';

/*
 * The transaction path, top-down: executeTransactions (the run) -> transactionItem (one item:
 * its input, the guard, the operation's calls) -> attempt (claim, send, release). What the
 * answers mean is outcome.ts; the HTTP is transport/connect.ts; the guard is repeatGuard.ts.
 */

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

/** An operation's calls for one item; the last one decides the item's outcome. */
export type Perform = (steps: TransactionSteps) => Promise<Attempt[]>;

/** Runs the operation for every item: the credential read once, the items one at a time. */
export async function executeTransactions(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	perform: Perform,
): Promise<INodeExecutionData[]> {
	refuseUnsafeGuard(this);
	const account = await readConnectAccount(this);
	const http = connectHttp(this);
	const output: INodeExecutionData[] = [];
	// One item at a time: the repeat guard must see each send before judging the next item.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await transactionItem(this, account, http, perform, itemIndex);
			output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(failedItem(this, error as Error, itemIndex));
		}
	}
	return output;
}

/** One item: guard, send, and the item's json (or the error InstaMed's answer calls for). */
async function transactionItem(
	ctx: IExecuteFunctions,
	account: ConnectAccount,
	http: HttpSend,
	perform: Perform,
	itemIndex: number,
): Promise<IDataObject> {
	const input = readTransactionInput(ctx, itemIndex);
	const transport = ctx.getNodeParameter('options.transport', itemIndex, 'rest') as Transport;
	const guard = ctx.getNodeParameter('refuseRepeats', itemIndex, true)
		? databaseGuard(ctx.helpers)
		: noGuard;
	const repeatIsDone =
		ctx.getNodeParameter('options.onRepeat', itemIndex, 'fail') === 'alreadySent';
	const send: Send = async (request) => await sendToConnect(http, transport, account, request);
	const attempts = await perform(transactionSteps(send, guard, input)).catch((error: Error) => {
		if (repeatIsDone && error instanceof RepeatRefused) return error;
		throw error;
	});
	if (attempts instanceof RepeatRefused) return describeAlreadySent(input, attempts);
	const last = attempts[attempts.length - 1];
	if (last.answer.failure) {
		throw connectApiError(ctx.getNode(), last.answer.failure, last.request.action, itemIndex);
	}
	const outcome = describeOutcome(input, attempts, last.answer.result);
	if (outcome.approved) return outcome.json;
	throw new FailedWithOutput(ctx.getNode(), outcome.message, outcome.json, {
		itemIndex,
		description: outcome.description,
	});
}

function readTransactionInput(ctx: IExecuteFunctions, itemIndex: number): TransactionInput {
	const operation = ctx.getNodeParameter('operation', itemIndex) as TransactionOperation;
	const transactionId = String(ctx.getNodeParameter('transactionId', itemIndex, '')).trim();
	if (!transactionId) {
		throw new NodeOperationError(ctx.getNode(), 'Transaction ID is empty', {
			itemIndex,
			description:
				'Map the InstaMed transaction ID of the payment, such as {{ $json.transactionId }}',
		});
	}
	const amountCents =
		operation === 'void' ? null : paymentAmountToCents(ctx.getNodeParameter('amount', itemIndex));
	return { operation, transactionId, amountCents };
}

/**
 * The workflow's steps, from the Workflow n8n keeps on the execution context (docs/
 * n8n-internals.md, "The workflow's steps on the execute context"); it is not in n8n-workflow's
 * interfaces, so undefined when an n8n does not have it.
 */
function workflowSteps(ctx: IExecuteFunctions): WorkflowStep[] | undefined {
	const { workflow } = ctx as unknown as { workflow?: { nodes?: Record<string, WorkflowStep> } };
	return workflow?.nodes ? Object.values(workflow.nodes) : undefined;
}

/**
 * Refuses to run (nothing sent) where the double-refund guard cannot hold: another step writes
 * the list it keeps (see guardConflicts), or the workflow's steps cannot be read to tell.
 */
function refuseUnsafeGuard(ctx: IExecuteFunctions): void {
	const self = ctx.getNode() as WorkflowStep;
	if (!isGuardedTransaction(self)) return;
	const steps = workflowSteps(ctx);
	const conflicts = steps === undefined ? [] : guardConflicts(self, steps);
	if (steps !== undefined && conflicts.length === 0) return;
	const why =
		steps === undefined
			? "this n8n does not show the workflow's steps, so steps writing the same list cannot be ruled out"
			: `${conflicts.join(', ')} also write${conflicts.length === 1 ? 's' : ''} the workflow's list of sent requests`;
	throw new NodeOperationError(ctx.getNode(), `Refuse Repeats cannot be kept here: ${why}`, {
		description:
			"Nothing was sent. Keep one InstaMed void or refund step with Refuse Repeats on per workflow, and set Remove Duplicates' Scope to Node.",
	});
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

/** With Continue On Fail an error item; otherwise the error, as an n8n error tied to the item. */
function failedItem(ctx: IExecuteFunctions, error: Error, itemIndex: number): INodeExecutionData {
	if (!ctx.continueOnFail()) {
		throw error instanceof NodeError
			? error
			: new NodeOperationError(ctx.getNode(), error, { itemIndex });
	}
	const output = error instanceof FailedWithOutput ? error.output : {};
	return { json: { error: error.message, ...output }, pairedItem: { item: itemIndex } };
}
