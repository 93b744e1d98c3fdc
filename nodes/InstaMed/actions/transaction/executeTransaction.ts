import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { paymentAmountToCents } from '../../../shared/money';
import { connectHttp, readConnectAccount } from '../../transport/connection';
import { sendToConnect } from '../../transport/send';
import type { Transport } from '../../transport/types';
import { FailedWithOutput } from '../itemError';
import { connectApiError, describeAlreadySent, describeOutcome } from './report';
import {
	databaseGuard,
	guardConflicts,
	isGuardedTransaction,
	noGuard,
	type RepeatGuard,
	type WorkflowStep,
} from './repeatGuard';
import {
	RepeatRefused,
	transactionSteps,
	type Attempt,
	type Send,
	type TransactionInput,
	type TransactionOperation,
} from './steps';
import { operations } from './Transaction.resource';

/** Every call made for one item, in order; the last one decides the item's outcome. */
export async function performOperation(
	send: Send,
	guard: RepeatGuard,
	input: TransactionInput,
): Promise<Attempt[]> {
	return await operations[input.operation].perform(transactionSteps(send, guard, input));
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
 * The workflow's steps. n8n-core 2.40 keeps the Workflow on the execution context
 * (node-execution-context.js: `this.workflow = workflow`, its `nodes` by name); it is not in
 * n8n-workflow's interfaces, so undefined when an n8n does not have it.
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

/**
 * Reads the credential once for the run; the returned function handles one input item: guard,
 * send, and the item's json (or the error InstaMed's answer calls for).
 */
export async function transactionExecutor(
	ctx: IExecuteFunctions,
): Promise<(itemIndex: number) => Promise<IDataObject>> {
	refuseUnsafeGuard(ctx);
	const account = await readConnectAccount(ctx);
	const http = connectHttp(ctx);
	return async (itemIndex) => {
		const input = readTransactionInput(ctx, itemIndex);
		const transport = ctx.getNodeParameter('options.transport', itemIndex, 'rest') as Transport;
		const guard = ctx.getNodeParameter('refuseRepeats', itemIndex, true)
			? databaseGuard(ctx.helpers)
			: noGuard;
		const repeatIsDone =
			ctx.getNodeParameter('options.onRepeat', itemIndex, 'fail') === 'alreadySent';
		const attempts = await performOperation(
			async (request) => await sendToConnect(http, transport, account, request),
			guard,
			input,
		).catch((error: Error) => {
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
	};
}
