import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { executeTransactions, type Attempt, type TransactionSteps } from './execute';

export const option: INodePropertyOptions = {
	name: 'Void',
	value: 'void',
	action: 'Void a payment',
	description:
		'Cancel a payment before its funds transfer has started, so the patient is never charged',
};

export const description: INodeProperties[] = [];

export async function perform(steps: TransactionSteps): Promise<Attempt[]> {
	return [await steps.void()];
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeTransactions.call(this, items, perform);
}
