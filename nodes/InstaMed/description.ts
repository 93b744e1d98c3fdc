import type { INodeProperties } from 'n8n-workflow';

const refundOperations = { show: { resource: ['transaction'], operation: ['refund'] } };
const voidOrRefundOperations = { show: { resource: ['transaction'], operation: ['voidOrRefund'] } };
const transactionOperations = { show: { resource: ['transaction'] } };

export const transactionProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Notification', value: 'notification' },
			{ name: 'Transaction', value: 'transaction' },
		],
		default: 'transaction',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: transactionOperations,
		options: [
			{
				name: 'Refund',
				value: 'refund',
				action: 'Refund a payment',
				description:
					'Send money back for a payment (simple refund): its full amount or part of it, up to one year after the sale',
			},
			{
				name: 'Void',
				value: 'void',
				action: 'Void a payment',
				description:
					'Cancel a payment before its funds transfer has started, so the patient is never charged',
			},
			{
				name: 'Void or Refund',
				value: 'voidOrRefund',
				action: 'Void or refund a payment',
				description:
					'Cancel a payment whatever its state: void it, and when InstaMed says the funds transfer has started, refund the full amount instead',
			},
		],
		default: 'void',
	},
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
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		required: true,
		displayOptions: refundOperations,
		default: '={{ $json.amount }}',
		placeholder: '12.34',
		description:
			'Amount to refund: a positive decimal with at most two places, such as 12.34. The default is the full amount of the incoming payment; enter less for a partial refund. Refunds of one payment add up to at most its amount.',
	},
	{
		displayName: 'Full Amount',
		name: 'amount',
		type: 'string',
		required: true,
		displayOptions: voidOrRefundOperations,
		default: '={{ $json.amount }}',
		placeholder: '12.34',
		description:
			"The payment's full amount (a positive decimal with at most two places), refunded only when the void is refused because the funds transfer has started. The default is the amount of the incoming payment.",
	},
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
