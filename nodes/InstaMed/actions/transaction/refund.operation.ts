import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { amountProperty } from './amountProperty';
import type { Attempt, TransactionSteps } from './steps';

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
