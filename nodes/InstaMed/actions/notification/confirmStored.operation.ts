import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CONFIRM_STORED_OPERATION } from './identity';
import { confirmedAnswer, refusalAnswer } from './answers';
import { upstreamFailures, whyNotStored, type StepRun } from './failures';

export const option: INodePropertyOptions = {
	name: 'Confirm Stored',
	value: CONFIRM_STORED_OPERATION,
	action: 'Confirm a notification is stored',
	description:
		'Answer InstaMed 200 now: put it right after the step that stored the message. Items pass on unchanged; steps after it cannot change the answer. A failed step before it (or an error item) is answered 500 instead.',
};

export const description: INodeProperties[] = [];

/**
 * The run's record of every step so far, which n8n keeps on the execution context (docs/
 * n8n-internals.md, "The run's record on the execute context"); it is not in n8n-workflow's
 * interfaces, so an n8n without it yields no records and only items are checked.
 */
function runRecords(ctx: IExecuteFunctions): Record<string, StepRun[] | undefined> {
	const context = ctx as unknown as {
		runExecutionData?: { resultData?: { runData?: Record<string, StepRun[]> } };
	};
	return context.runExecutionData?.resultData?.runData ?? {};
}

/** Answers InstaMed once for the run, not per item; the items pass on unchanged. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const upstream = this.getParentNodes(this.getNode().name).map((step) => step.name);
	const failure = whyNotStored(items, upstreamFailures(upstream, runRecords(this)));
	if (failure !== undefined) {
		await this.sendResponse(refusalAnswer(500, `Not stored: ${failure}`, this.getExecutionId()));
		throw new NodeOperationError(this.getNode(), `Not confirmed: ${failure}`, {
			description:
				'A step before Confirm Stored failed or passed on an error item, so InstaMed was answered 500 and will retry.',
		});
	}
	await this.sendResponse(confirmedAnswer(this.getExecutionId()));
	return items.map((item, itemIndex) => ({ ...item, pairedItem: { item: itemIndex } }));
}
