import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { operations as notification } from './notification/Notification.resource';
import { operations as transaction } from './transaction/Transaction.resource';

type Execute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

const resources: Record<string, Record<string, { execute: Execute }>> = {
	notification,
	transaction,
};

/** Hands the input items to the chosen operation's execute (its items, pairing and errors). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const chosen = resources[resource]?.[operation];
	if (chosen === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return [await chosen.execute.call(this, items)];
}
