import type { INodeExecutionData } from 'n8n-workflow';

/**
 * The error an item carries, if it is an error item. n8n's own rule (docs/n8n-internals.md,
 * "n8n's error-item rule"): an item is an error item when
 * `item.error` is set or `json.error` is truthy, so a stored row whose column `error` holds
 * false, '' or 0 is not one. The shapes it produces:
 * - `item.error` set: n8n's own error object on an item;
 * - `json.error` truthy: a step on Continue On Fail (`{ error: message }`, most nodes), or an
 *   error output item, which n8n merges with the input item (`{ ...input, error, message }`, e.g.
 *   the Postgres node's `{ message, error: {…} }`). n8n also asks that such an item hold only
 *   error/message/details; that test cannot be used here, as the merge adds the input's fields.
 * An InstaMed Trigger item never has a top-level `error`, nor does a storage step's success item.
 */
export function itemFailure(item: INodeExecutionData): string | undefined {
	const { json } = item;
	if (item.error) return item.error.message || 'error item';
	if (!json.error) return undefined;
	const nested = json.error as { message?: unknown };
	if (typeof nested === 'object' && typeof nested.message === 'string') return nested.message;
	if (typeof json.message === 'string' && json.message) return json.message;
	return typeof json.error === 'string' ? json.error : 'error item';
}

/** What n8n records for one run of a step (the part needed here). */
export interface StepRun {
	error?: { message?: string };
}

/**
 * Errors recorded in this run by the steps before this one. A step on Continue On Fail that
 * throws passes its input items on unchanged (docs/n8n-internals.md, "The run's record on the
 * execute context"), so only its run record (`taskData.error`) shows it failed.
 */
export function upstreamFailures(
	upstreamSteps: string[],
	runData: Record<string, StepRun[] | undefined>,
): string[] {
	return upstreamSteps.flatMap((step) =>
		(runData[step] ?? [])
			.filter((run) => run.error !== undefined)
			.map((run) => `${step}: ${run.error?.message || 'failed'}`),
	);
}

/** The first reason the input cannot be confirmed as stored, or undefined. */
export function whyNotStored(
	items: INodeExecutionData[],
	failedUpstream: string[],
): string | undefined {
	if (failedUpstream.length > 0) return failedUpstream[0];
	for (const item of items) {
		const failure = itemFailure(item);
		if (failure !== undefined) return failure;
	}
	return undefined;
}
