import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { transactionProperties } from './description';
import { CREDENTIAL_NAME, connectAccount, failedItem, processItem } from './item';

export class InstaMed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'InstaMed',
		name: 'instaMed',
		icon: { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["transactionId"]}}',
		description:
			'Void or refund InstaMed payments through InstaMed Connect, refusing repeats of the same void or refund',
		defaults: { name: 'InstaMed' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_NAME, required: true }],
		properties: transactionProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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
