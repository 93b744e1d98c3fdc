import type { INodeProperties } from 'n8n-workflow';

import { description as notification } from './notification/Notification.resource';
import { description as transaction } from './transaction/Transaction.resource';

export const properties: INodeProperties[] = [
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
	...transaction,
	...notification,
];
