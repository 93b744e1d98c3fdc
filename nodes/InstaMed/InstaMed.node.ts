import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { transactionProperties } from './description';
import { notificationProperties } from './notification/description';
import { executeNotification, type NotificationOperation } from './notification/execute';
import { CREDENTIAL_NAME, connectAccount, failedItem, processItem } from './item';

export class InstaMed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'InstaMed',
		name: 'instaMed',
		icon: { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{$parameter["resource"] === "notification" ? ($parameter["operation"] === "refuse" ? "Refuse" : "Confirm Stored") : $parameter["operation"] + ": " + $parameter["transactionId"]}}',
		description:
			'Void or refund InstaMed payments through InstaMed Connect, and answer InstaMed notifications once stored',
		defaults: { name: 'InstaMed' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_NAME,
				required: true,
				displayOptions: { show: { resource: ['transaction'] } },
			},
		],
		properties: [...transactionProperties, ...notificationProperties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('resource', 0) === 'notification') {
			const operation = this.getNodeParameter('operation', 0) as NotificationOperation;
			return await executeNotification(this, operation);
		}
		const account = await connectAccount(this);
		const output: INodeExecutionData[] = [];
		// One item at a time: the repeat guard must see each send before judging the next item.
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			output.push(
				await processItem(this, account, itemIndex).catch((error: Error) =>
					failedItem(this, error, itemIndex),
				),
			);
		}
		return [output];
	}
}
