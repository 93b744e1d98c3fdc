import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { INSTAMED_NODE_NAME } from './actions/notification/identity';
import { properties } from './actions/resources';
import { router } from './actions/router';
import { CONNECT_CREDENTIAL } from './transport/connect';

export class InstaMed implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'InstaMed',
		name: INSTAMED_NODE_NAME,
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
				name: CONNECT_CREDENTIAL,
				required: true,
				displayOptions: { show: { resource: ['transaction'] } },
			},
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
