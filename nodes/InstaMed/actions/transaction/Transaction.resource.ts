import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../operationSelector';
import * as refund from './refund.operation';
import type { TransactionOperation } from './execute';
import * as voidPayment from './void.operation';
import * as voidOrRefund from './voidOrRefund.operation';

export const operations: Record<TransactionOperation, Pick<typeof refund, 'execute'>> = {
	void: voidPayment,
	refund,
	voidOrRefund,
};

const transactionOperations = { show: { resource: ['transaction'] } };

export const description: INodeProperties[] = [
	operationSelector(
		'transaction',
		[refund.option, voidPayment.option, voidOrRefund.option],
		'void',
	),
	{
		displayName: 'Transaction ID',
		name: 'transactionId',
		type: 'string',
		required: true,
		displayOptions: transactionOperations,
		default: '={{ $json.transactionId }}',
		description:
			"InstaMed's ID of the payment (the sale) to void or refund. The default takes the transactionId of the incoming InstaMed Trigger item.",
	},
	...refund.description,
	...voidPayment.description,
	...voidOrRefund.description,
	{
		displayName: 'Refuse Repeats',
		name: 'refuseRepeats',
		type: 'boolean',
		displayOptions: transactionOperations,
		default: true,
		description:
			"Whether to refuse a void or refund that this workflow already sent for the same transaction and amount, instead of sending it again. Sent requests are remembered in n8n's database. Turn off only to repeat on purpose, such as a second partial refund of the same amount.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: transactionOperations,
		default: {},
		options: [
			{
				displayName: 'Transport',
				name: 'transport',
				type: 'options',
				options: [
					{
						name: 'NVP',
						value: 'nvp',
						description:
							'Form-encoded name-value pairs, authenticated with the account ID and password',
					},
					{
						name: 'REST',
						value: 'rest',
						description: 'JSON web service, authenticated with the API key and secret',
					},
				],
				default: 'rest',
				description: 'Which InstaMed Connect interface to call',
			},
			{
				displayName: 'When a Repeat Is Refused',
				name: 'onRepeat',
				type: 'options',
				options: [
					{
						name: 'Fail the Item',
						value: 'fail',
						description: 'The repeat is an error, so the workflow stops',
					},
					{
						name: 'Output It as Already Sent',
						value: 'alreadySent',
						description:
							'An item with alreadySent: true. Use it after the InstaMed Trigger: InstaMed re-sends a notification when the first answer was slow, and the re-delivery should then count as handled (answered 200) instead of failing.',
					},
				],
				default: 'fail',
				description: 'What the double-refund guard does with a void or refund it already sent',
			},
		],
	},
];
