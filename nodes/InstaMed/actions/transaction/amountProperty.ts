import type { INodeProperties } from 'n8n-workflow';

/** The amount field of an operation that may refund, defaulting to the trigger item's amount. */
export function amountProperty(
	displayName: string,
	operation: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name: 'amount',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['transaction'], operation: [operation] } },
		default: '={{ $json.amount }}',
		placeholder: '12.34',
		description,
	};
}
