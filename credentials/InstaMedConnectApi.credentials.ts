import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class InstaMedConnectApi implements ICredentialType {
	name = 'instaMedConnectApi';

	displayName = 'InstaMed Connect API';

	icon: Icon = { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-instamed/n8n-nodes-instamed#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'REST API key from InstaMed (sandbox keys come with sandbox access)',
		},
		{
			displayName: 'API Secret',
			name: 'apiSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'string',
			default: '',
			placeholder: 'name@example.com',
			description: 'InstaMed account ID for the NVP transport (HTTP Basic authentication)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password of the account ID, for the NVP transport',
		},
		{
			displayName: 'Merchant ID',
			name: 'merchantId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Store ID',
			name: 'storeId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Terminal ID',
			name: 'terminalId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://connect.instamed.com',
			description: 'InstaMed Connect host: production by default; change it for sandbox keys',
		},
	];

	// InstaMed publishes no read-only REST call. This GET looks up the credential's own outlet:
	// it cannot move money, and a wrong key or secret is answered 401 before anything else.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/rest/outlet',
			method: 'GET',
			// The node sends these headers itself (see nodes/InstaMed/transport/auth.ts): no generic
			// `authenticate`, so n8n offers no "Custom API Call" for a node that moves money.
			headers: {
				'Api-Key': '={{$credentials.apiKey}}',
				'Api-Secret': '={{$credentials.apiSecret}}',
			},
			qs: {
				MerchantID: '={{$credentials.merchantId}}',
				StoreID: '={{$credentials.storeId}}',
				TerminalID: '={{$credentials.terminalId}}',
			},
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'InstaMed refused the API key or secret',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The key was not refused, but this host does not answer the outlet lookup, so it could not be confirmed: check the Base URL and the Merchant, Store and Terminal IDs',
				},
			},
		],
	};
}
