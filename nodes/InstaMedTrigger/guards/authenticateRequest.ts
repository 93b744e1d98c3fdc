import type { IWebhookFunctions } from 'n8n-workflow';

import { checkBasicAuth } from './basicAuth';
import { type BearerTokenValidator, readOAuth2Settings } from './bearerToken';
import {
	basicCredentialProblems,
	loadSafeCredential,
	oauth2CredentialProblems,
} from './credentialSafety';
import type { TokenHttp } from './tokenHttp';

export type AuthenticationMode = 'none' | 'instaMedBasicApi' | 'instaMedOAuth2Api';

type Headers = Record<string, string | string[] | undefined>;

/** Timed out well inside InstaMed's 20 s, so a slow issuer yields a 503 InstaMed retries. */
const IDENTITY_SERVICE_TIMEOUT_MS = 5000;

/**
 * Checks the credentials InstaMed presents with the authentication the node is set to. A
 * credential that cannot be safe is refused as misconfigured before the caller's are read.
 * `bearerTokens` is the process's one validator: its caches and call budgets outlive a request.
 */
export async function authenticateRequest(
	context: IWebhookFunctions,
	headers: Headers,
	authentication: AuthenticationMode,
	bearerTokens: BearerTokenValidator,
): Promise<void> {
	if (authentication === 'none') return;
	const authorization =
		typeof headers.authorization === 'string' ? headers.authorization : undefined;
	if (authentication === 'instaMedBasicApi') {
		const credentials = await loadSafeCredential(
			context,
			'instaMedBasicApi',
			basicCredentialProblems,
		);
		checkBasicAuth(authorization, {
			username: String(credentials.username),
			password: String(credentials.password),
		});
		return;
	}
	const credentials = await loadSafeCredential(
		context,
		'instaMedOAuth2Api',
		oauth2CredentialProblems,
	);
	await bearerTokens.validate(
		authorization,
		readOAuth2Settings(credentials),
		identityService(context),
	);
}

// Any status comes back as an answer (ignoreHttpStatusErrors + returnFullResponse), so a 400 from
// the introspection endpoint can be told from a failing service; only a missing answer throws.
const ANY_STATUS = { ignoreHttpStatusErrors: true, returnFullResponse: true } as const;

/** Outbound calls through n8n's HTTP helpers (proxy, egress policy); the credential adds client auth. */
function identityService(context: IWebhookFunctions): TokenHttp {
	const answer = (response: { statusCode: number; body: unknown }) => ({
		status: response.statusCode,
		body: response.body,
	});
	return {
		getJson: async (url) =>
			answer(
				await context.helpers.httpRequest({
					method: 'GET',
					url,
					json: true,
					timeout: IDENTITY_SERVICE_TIMEOUT_MS,
					...ANY_STATUS,
				}),
			),
		postForm: async (url, form) =>
			answer(
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
					...ANY_STATUS,
				}),
			),
	};
}
