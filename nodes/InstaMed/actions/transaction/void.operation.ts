import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { Attempt, TransactionSteps } from './steps';

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
