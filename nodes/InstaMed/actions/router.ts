import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { failedItem } from './itemError';
import {
	operations as notification,
	type NotificationOperation,
} from './notification/Notification.resource';
import { transactionExecutor } from './transaction/executeTransaction';

/** Dispatches to the operation; the per-item loop, Continue On Fail and pairedItem live here. */
export async function router(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (ctx.getNodeParameter('resource', 0) === 'notification') {
		const operation = ctx.getNodeParameter('operation', 0) as NotificationOperation;
		await notification[operation].execute(ctx);
		return [items.map((item, itemIndex) => ({ ...item, pairedItem: { item: itemIndex } }))];
	}
	const executeItem = await transactionExecutor(ctx);
	const output: INodeExecutionData[] = [];
	// One item at a time: the repeat guard must see each send before judging the next item.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push({ json: await executeItem(itemIndex), pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(failedItem(ctx.getNode(), ctx.continueOnFail(), error as Error, itemIndex));
		}
	}
	return [output];
}
