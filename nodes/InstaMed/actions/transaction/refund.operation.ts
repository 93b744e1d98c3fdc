import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { amountProperty } from './amountProperty';
import { executeTransactions, type Attempt, type TransactionSteps } from './execute';

export const option: INodePropertyOptions = {
	name: 'Refund',
	value: 'refund',
	action: 'Refund a payment',
	description:
		'Send money back for a payment (simple refund): its full amount or part of it, up to one year after the sale',
};

export const description: INodeProperties[] = [
	amountProperty(
		'Amount',
		'refund',
		'Amount to refund: a positive decimal with at most two places, such as 12.34. The default is the full amount of the incoming payment; enter less for a partial refund. Refunds of one payment add up to at most its amount.',
	),
];

export async function perform(steps: TransactionSteps): Promise<Attempt[]> {
	return [await steps.refund()];
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeTransactions.call(this, items, perform);
}
