import { tokenValidationUnavailable } from './tokenRejections';

/** An identity service's answer, whatever its status (the caller decides what a status means). */
export interface HttpAnswer {
	status: number;
	body: unknown;
}

/**
 * The network access token validation needs, implemented with n8n's HTTP helpers. `postForm`
 * authenticates as the introspection client itself, so the secret never enters these modules.
 * Both throw only when no answer came.
 */
export interface TokenHttp {
	getJson(url: string): Promise<HttpAnswer>;
	postForm(url: string, form: Record<string, string>): Promise<HttpAnswer>;
}

/** Runs a call to the identity service, turning a missing answer into a retryable 503. */
export async function callIdentityService(call: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
	try {
		return await call();
	} catch {
		throw tokenValidationUnavailable();
	}
}

/** The answer's JSON body (n8n parses JSON by content type; a text/plain JSON arrives as text). */
export function jsonBody(answer: HttpAnswer): unknown {
	if (typeof answer.body !== 'string') return answer.body;
	try {
		return JSON.parse(answer.body);
	} catch {
		return undefined;
	}
}
