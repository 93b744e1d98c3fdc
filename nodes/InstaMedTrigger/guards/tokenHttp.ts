import { tokenValidationUnavailable } from './tokenRejections';

/**
 * The network access token validation needs, implemented with n8n's HTTP helpers. `postForm`
 * authenticates as the introspection client itself, so the secret never enters these modules.
 */
export interface TokenHttp {
	getJson(url: string): Promise<unknown>;
	postForm(url: string, form: Record<string, string>): Promise<unknown>;
}

/** Runs a call to the identity service, turning any failure into a retryable 503. */
export async function callIdentityService<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch {
		throw tokenValidationUnavailable();
	}
}
