import type { IWebhookFunctions } from 'n8n-workflow';

import { checkBasicAuth } from './basicAuth';
import { BearerTokenValidator, readOAuth2Settings } from './bearerToken';
import type { TokenHttp } from './tokenHttp';

export type AuthenticationMode = 'none' | 'instaMedBasicApi' | 'instaMedOAuth2Api';

type Headers = Record<string, string | string[] | undefined>;

/** Timed out well inside InstaMed's 20 s, so a slow issuer yields a 503 InstaMed retries. */
const IDENTITY_SERVICE_TIMEOUT_MS = 5000;

// One per process: its key and introspection caches are what spare each webhook a round trip.
const bearerTokens = new BearerTokenValidator();

/** Checks the credentials InstaMed presents with the authentication the node is set to. */
export async function authenticateRequest(
	context: IWebhookFunctions,
	headers: Headers,
	authentication: AuthenticationMode,
): Promise<void> {
	if (authentication === 'none') return;
	const authorization =
		typeof headers.authorization === 'string' ? headers.authorization : undefined;
	if (authentication === 'instaMedBasicApi') {
		const credentials = await context.getCredentials('instaMedBasicApi');
		checkBasicAuth(authorization, {
			username: String(credentials.username ?? ''),
			password: String(credentials.password ?? ''),
		});
		return;
	}
	const credentials = await context.getCredentials('instaMedOAuth2Api');
	await bearerTokens.validate(
		authorization,
		readOAuth2Settings(credentials),
		identityService(context),
	);
}

/** Outbound calls through n8n's HTTP helpers (proxy, egress policy); the credential adds client auth. */
function identityService(context: IWebhookFunctions): TokenHttp {
	return {
		getJson: async (url) =>
			await context.helpers.httpRequest({
				method: 'GET',
				url,
				json: true,
				timeout: IDENTITY_SERVICE_TIMEOUT_MS,
			}),
		postForm: async (url, form) =>
			await context.helpers.httpRequestWithAuthentication.call(context, 'instaMedOAuth2Api', {
				method: 'POST',
				url,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Accept: 'application/json',
				},
				body: new URLSearchParams(form).toString(),
				json: true,
				timeout: IDENTITY_SERVICE_TIMEOUT_MS,
			}),
	};
}
