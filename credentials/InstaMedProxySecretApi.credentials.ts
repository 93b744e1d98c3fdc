import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The secret the TLS-terminating proxy adds to every request it forwards to the InstaMed Trigger,
 * so that only the proxy, not any other process on its address, can vouch for a client certificate.
 */
export class InstaMedProxySecretApi implements ICredentialType {
	name = 'instaMedProxySecretApi';

	displayName = 'InstaMed Proxy Secret API';

	icon: Icon = { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-instamed/n8n-nodes-instamed#client-certificates-mutual-tls-through-a-proxy';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The value your proxy sets in the proxy secret header (nginx: proxy_set_header). At least 16 characters.',
		},
	];
}
