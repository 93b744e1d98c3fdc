import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** The username and password InstaMed presents when it posts to the trigger (Basic authentication). */
export class InstaMedBasicApi implements ICredentialType {
	name = 'instaMedBasicApi';

	displayName = 'InstaMed Basic API';

	icon: Icon = { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-instamed/n8n-nodes-instamed#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description:
				"The username to give InstaMed's implementation team; InstaMed sends it with every notification",
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The password to give InstaMed's implementation team",
		},
	];
}
