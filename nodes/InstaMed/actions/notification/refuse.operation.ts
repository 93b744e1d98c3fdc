import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { NOTIFICATION_RESOURCE, REFUSE_OPERATION } from './identity';
import { reasonText, refusalAnswer, refusalStatus } from './answers';

export const option: INodePropertyOptions = {
	name: 'Refuse',
	value: REFUSE_OPERATION,
	action: 'Refuse a notification',
	description:
		"Answer InstaMed with an error status and a reason it shows the merchant, so it retries, then fails the run (the message was not stored). Wire it to the storage step's error output.",
};

const refuseOperation = {
	show: { resource: [NOTIFICATION_RESOURCE], operation: [REFUSE_OPERATION] },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Status Code',
		name: 'statusCode',
		type: 'number',
		typeOptions: { minValue: 400, maxValue: 599 },
		default: 503,
		description: 'A 4xx or 5xx status; InstaMed retries every 30 minutes, five times',
		displayOptions: refuseOperation,
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '={{ $json.error?.message ?? $json.message ?? $json.error }}',
		description:
			"Why the message was not stored, shown to the merchant by InstaMed. Sent as the reason phrase and the body, cut to one line of 120 printable characters. The default takes the failed step's error message.",
		displayOptions: refuseOperation,
	},
];

/**
 * Answers the refusal, then fails the run: a refused message was not stored, and with the
 * trigger answering "When Last Node Finishes" (where n8n ignores sendResponse) a run that ended at
 * a successful Refuse would be answered 200.
 */
export async function execute(this: IExecuteFunctions): Promise<never> {
	const configured = this.getNodeParameter('statusCode', 0, 503);
	const status = refusalStatus(configured);
	if (status === undefined) {
		const reason = `InstaMed Refuse misconfigured: Status Code must be 400 to 599, not ${String(configured)}`;
		await this.sendResponse(refusalAnswer(500, reason, this.getExecutionId()));
		throw new NodeOperationError(this.getNode(), reason);
	}
	const reason = reasonText(this.getNodeParameter('reason', 0, ''));
	await this.sendResponse(refusalAnswer(status, reason, this.getExecutionId()));
	throw new NodeOperationError(
		this.getNode(),
		`Not stored, InstaMed answered ${status}: ${reason}`,
		{
			description: 'InstaMed retries the notification every 30 minutes, five times.',
		},
	);
}
