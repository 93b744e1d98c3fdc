import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../operationSelector';
import * as confirmStored from './confirmStored.operation';
import {
	CONFIRM_STORED_OPERATION,
	NOTIFICATION_RESOURCE,
	type NotificationOperation,
} from './identity';
import * as refuse from './refuse.operation';

export const operations: Record<
	NotificationOperation,
	Pick<typeof confirmStored, 'execute'> | Pick<typeof refuse, 'execute'>
> = { confirmStored, refuse };

export const description: INodeProperties[] = [
	operationSelector(
		NOTIFICATION_RESOURCE,
		[confirmStored.option, refuse.option],
		CONFIRM_STORED_OPERATION,
	),
	{
		displayName:
			'Works after an InstaMed Trigger whose "Answer InstaMed" is "When a Confirm Stored Step Runs". The first Confirm Stored or Refuse of a run answers; a later Confirm Stored only passes its items on.',
		name: 'notificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: [NOTIFICATION_RESOURCE] } },
	},
	...confirmStored.description,
	...refuse.description,
];

export * from './identity';
