import type { INodeProperties } from 'n8n-workflow';

const notificationOperations = { show: { resource: ['notification'] } };

export const notificationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: notificationOperations,
		options: [
			{
				name: 'Confirm Stored',
				value: 'confirmStored',
				action: 'Confirm a notification is stored',
				description:
					'Answer InstaMed 200 now: put it right after the step that stored the message. Items pass on unchanged; steps after it cannot change the answer. A failed step before it (or an error item) is answered 500 instead.',
			},
			{
				name: 'Refuse',
				value: 'refuse',
				action: 'Refuse a notification',
				description:
					"Answer InstaMed with an error status and a reason it shows the merchant, so it retries, then fails the run (the message was not stored). Wire it to the storage step's error output.",
			},
		],
		default: 'confirmStored',
	},
	{
		displayName:
			'Works after an InstaMed Trigger whose "Answer InstaMed" is "When a Confirm Stored Step Runs". The first Confirm Stored or Refuse of a run answers; a later Confirm Stored only passes its items on.',
		name: 'notificationNotice',
		type: 'notice',
		default: '',
		displayOptions: notificationOperations,
	},
	{
		displayName: 'Status Code',
		name: 'statusCode',
		type: 'number',
		typeOptions: { minValue: 400, maxValue: 599 },
		default: 503,
		description: 'A 4xx or 5xx status; InstaMed retries every 30 minutes, five times',
		displayOptions: { show: { resource: ['notification'], operation: ['refuse'] } },
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '={{ $json.error?.message ?? $json.message ?? $json.error }}',
		description:
			"Why the message was not stored, shown to the merchant by InstaMed. Sent as the reason phrase and the body, cut to one line of 120 printable characters. The default takes the failed step's error message.",
		displayOptions: { show: { resource: ['notification'], operation: ['refuse'] } },
	},
];
