import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { confirmedAnswer, reasonText, refusalAnswer, refusalStatus } from './answers';
import { upstreamFailures, whyNotStored, type StepRun } from './failures';

export type NotificationOperation = 'confirmStored' | 'refuse';

/** Items pass on unchanged, each paired with the item it came from. */
function passOn(items: INodeExecutionData[]): INodeExecutionData[][] {
	return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
}

/**
 * The run's record of every step so far. n8n-core 2.40 keeps it on the execution context
 * (node-execution-context.js: `this.runExecutionData = runExecutionData`); it is not in
 * n8n-workflow's interfaces, so an n8n without it yields no records and only items are checked.
 */
function runRecords(ctx: IExecuteFunctions): Record<string, StepRun[] | undefined> {
	const context = ctx as unknown as {
		runExecutionData?: { resultData?: { runData?: Record<string, StepRun[]> } };
	};
	return context.runExecutionData?.resultData?.runData ?? {};
}

async function confirmStored(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const upstream = ctx.getParentNodes(ctx.getNode().name).map((step) => step.name);
	const failure = whyNotStored(items, upstreamFailures(upstream, runRecords(ctx)));
	if (failure !== undefined) {
		await ctx.sendResponse(refusalAnswer(500, `Not stored: ${failure}`, ctx.getExecutionId()));
		throw new NodeOperationError(ctx.getNode(), `Not confirmed: ${failure}`, {
			description:
				'A step before Confirm Stored failed or passed on an error item, so InstaMed was answered 500 and will retry.',
		});
	}
	await ctx.sendResponse(confirmedAnswer(ctx.getExecutionId()));
	return passOn(items);
}

/**
 * Answers the refusal, then fails the run: a refused message was not stored, and with the
 * trigger answering "When Last Node Finishes" (where n8n ignores sendResponse) a run that ended at
 * a successful Refuse would be answered 200.
 */
async function refuse(ctx: IExecuteFunctions): Promise<never> {
	const configured = ctx.getNodeParameter('statusCode', 0, 503);
	const status = refusalStatus(configured);
	if (status === undefined) {
		const reason = `InstaMed Refuse misconfigured: Status Code must be 400 to 599, not ${String(configured)}`;
		await ctx.sendResponse(refusalAnswer(500, reason, ctx.getExecutionId()));
		throw new NodeOperationError(ctx.getNode(), reason);
	}
	const reason = reasonText(ctx.getNodeParameter('reason', 0, ''));
	await ctx.sendResponse(refusalAnswer(status, reason, ctx.getExecutionId()));
	throw new NodeOperationError(
		ctx.getNode(),
		`Not stored, InstaMed answered ${status}: ${reason}`,
		{
			description: 'InstaMed retries the notification every 30 minutes, five times.',
		},
	);
}

/** Confirm Stored and Refuse answer once for the run, not per item. */
export async function executeNotification(
	ctx: IExecuteFunctions,
	operation: NotificationOperation,
): Promise<INodeExecutionData[][]> {
	return operation === 'refuse' ? await refuse(ctx) : await confirmStored(ctx);
}
