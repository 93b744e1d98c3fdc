import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	Icon,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** The JWS algorithms the trigger can verify (asymmetric only: HS* would need a shared secret). */
export const JWT_ALGORITHMS = [
	'RS256',
	'RS384',
	'RS512',
	'PS256',
	'PS384',
	'PS512',
	'ES256',
	'ES384',
	'ES512',
] as const;

export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const JWT = { show: { validation: ['jwt'] } };
const INTROSPECTION = { show: { validation: ['introspection'] } };

/**
 * How the trigger checks the bearer token InstaMed brings from its identity service (PingFederate).
 * It validates incoming tokens and obtains none, so it does not extend n8n's oAuth2Api.
 */
export class InstaMedOAuth2Api implements ICredentialType {
	name = 'instaMedOAuth2Api';

	// n8n names a new credential after this without the words API and OAuth2; the parentheses keep
	// "OAuth2" in that name ("InstaMed (OAuth2) account").
	displayName = 'InstaMed (OAuth2) API';

	// Only the trigger uses it, to check tokens: never offered to n8n's HTTP Request node.
	hideDomainRestrictionFields = true;

	icon: Icon = { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-instamed/n8n-nodes-instamed#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Token Validation',
			name: 'validation',
			type: 'options',
			options: [
				{
					name: "JWT (Signature Checked With the Issuer's Keys)",
					value: 'jwt',
					description: "The token is a signed JWT; its keys come from the issuer's JWKS URL",
				},
				{
					name: 'Introspection (RFC 7662)',
					value: 'introspection',
					description: 'The token is opaque; the issuer is asked whether it is active',
				},
			],
			default: 'jwt',
		},
		{
			displayName: 'JWKS URL',
			name: 'jwksUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://sso.example.com/pf/JWKS',
			displayOptions: JWT,
		},
		{
			displayName: 'Issuer',
			name: 'issuer',
			type: 'string',
			default: '',
			required: true,
			description: 'The exact `iss` claim the tokens must carry',
			displayOptions: JWT,
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			required: true,
			description: 'The `aud` value the tokens must contain',
			displayOptions: JWT,
		},
		{
			displayName: 'Allowed Algorithms',
			name: 'allowedAlgorithms',
			type: 'multiOptions',
			options: JWT_ALGORITHMS.map((algorithm) => ({ name: algorithm, value: algorithm })),
			default: ['RS256'],
			displayOptions: JWT,
		},
		{
			displayName: 'Clock Tolerance (Seconds)',
			name: 'clockToleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'How far the clocks of n8n and the issuer may differ when checking expiry and start times',
			displayOptions: JWT,
		},
		{
			displayName: 'Introspection URL',
			name: 'introspectionUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://sso.example.com/as/introspect.oauth2',
			displayOptions: INTROSPECTION,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: INTROSPECTION,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: INTROSPECTION,
		},
		{
			displayName: 'Cache Answers (Seconds)',
			name: 'cacheSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'How long an introspection answer is reused for the same token (never past its expiry); a revoked token is refused at the latest after this time',
			displayOptions: INTROSPECTION,
		},
		{
			displayName: 'Expected Issuer',
			name: 'issuer',
			type: 'string',
			default: '',
			description: 'If set, the `iss` the introspection answer must carry',
			displayOptions: INTROSPECTION,
		},
		{
			displayName: 'Expected Audience',
			name: 'audience',
			type: 'string',
			default: '',
			description:
				'If set, the `aud` the introspection answer must contain, so tokens issued for other services are refused',
			displayOptions: INTROSPECTION,
		},
		{
			displayName: 'Required Scope',
			name: 'requiredScope',
			type: 'string',
			default: '',
			description: 'A scope the token must grant; leave empty to accept any scope',
		},
	];

	// Introspection requests authenticate the client (RFC 7662 section 2.1); the JWKS is public.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> =>
		credentials.validation === 'introspection'
			? {
					...requestOptions,
					auth: {
						username: String(credentials.clientId ?? ''),
						password: String(credentials.clientSecret ?? ''),
					},
				}
			: requestOptions;

	// Tested by the InstaMed Trigger's instaMedOAuth2ApiTest (credentialTest/credentialTests.ts): it
	// refuses what the trigger would refuse as misconfigured, then checks that the JWKS holds
	// signing keys, which a declarative test cannot.
}
