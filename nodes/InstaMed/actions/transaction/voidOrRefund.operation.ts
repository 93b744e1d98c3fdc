import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { fundsTransferStarted } from './outcome';
import { amountProperty } from './amountProperty';
import { executeTransactions, type Attempt, type TransactionSteps } from './execute';

export const option: INodePropertyOptions = {
	name: 'Void or Refund',
	value: 'voidOrRefund',
	action: 'Void or refund a payment',
	description:
		'Cancel a payment whatever its state: void it, and when InstaMed says the funds transfer has started, refund the full amount instead',
};

export const description: INodeProperties[] = [
	amountProperty(
		'Full Amount',
		'voidOrRefund',
		"The payment's full amount (a positive decimal with at most two places), refunded only when the void is refused because the funds transfer has started. The default is the amount of the incoming payment.",
	),
];

/** The void, then the refund only when the void came too late: the money is already moving. */
export async function perform(steps: TransactionSteps): Promise<Attempt[]> {
	const voided = await steps.void();
	if (!voided.answer.result || !fundsTransferStarted(voided.answer.result)) return [voided];
	return [voided, await steps.refund()];
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeTransactions.call(this, items, perform);
}
