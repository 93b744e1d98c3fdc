import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	basicCredentialProblems,
	oauth2CredentialProblems,
	proxySecretProblems,
} from '../guards/credentialSafety';
import { importJwks } from '../guards/jwt';

/**
 * The fields the trigger would refuse as misconfigured (guards/credentialSafety.ts), so the Test
 * button says what the trigger would answer InstaMed with.
 */
function unsafe(problems: string[]): INodeCredentialTestResult | undefined {
	return problems.length > 0
		? { status: 'Error', message: `Misconfigured: ${problems.join('; ')}` }
		: undefined;
}

/** InstaMed Basic has nothing remote to call (InstaMed presents these values to us). */
export async function instaMedBasicApiTest(
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return (
		unsafe(basicCredentialProblems(credential.data ?? {})) ?? {
			status: 'OK',
			message: 'Username and password are usable for Basic authentication',
		}
	);
}

/** The proxy's shared secret is only ever compared with what the proxy sends: check it is usable. */
export async function instaMedProxySecretApiTest(
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return (
		unsafe(proxySecretProblems(credential.data ?? {})) ?? {
			status: 'OK',
			message: 'The secret is usable as a proxy header value',
		}
	);
}

/** What the identity service answered, or the network error code when nothing came. */
export type IdentityAnswer = { status: number; body: unknown } | { networkCode: string };

const JWKS_MUST_BE =
	'It must be the issuer\'s JSON Web Key Set: a JSON document {"keys": [...]} with RSA or EC signing keys (PingFederate: https://<host>/pf/JWKS).';
const INTROSPECTION_MUST_BE =
	'It must be the issuer\'s RFC 7662 token introspection endpoint (PingFederate: https://<host>/as/introspect.oauth2), which answers {"active": ...}.';

const NETWORK_CODES: Record<string, string> = {
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'no answer in time',
	ECONNABORTED: 'no answer in time',
};

function unreachable(what: string, url: string, answer: IdentityAnswer): string {
	const why =
		'networkCode' in answer
			? `${answer.networkCode}${NETWORK_CODES[answer.networkCode] ? ` (${NETWORK_CODES[answer.networkCode]})` : ''}`
			: `HTTP ${answer.status}`;
	return `Could not fetch the ${what} ${url}: ${why}.`;
}

function parsed(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/** Judges the answer of the JWKS URL the way the trigger will use it: at least one usable key. */
export function judgeJwksAnswer(url: string, answer: IdentityAnswer): INodeCredentialTestResult {
	if (!url) return { status: 'Error', message: `Enter the JWKS URL. ${JWKS_MUST_BE}` };
	if ('networkCode' in answer || answer.status !== 200) {
		return { status: 'Error', message: `${unreachable('JWKS URL', url, answer)} ${JWKS_MUST_BE}` };
	}
	const keys = importJwks(parsed(answer.body));
	if (keys === undefined) {
		return { status: 'Error', message: `${url} answered, but not with a key set. ${JWKS_MUST_BE}` };
	}
	if (keys.length === 0) {
		return { status: 'Error', message: `${url} holds no RSA or EC signing key. ${JWKS_MUST_BE}` };
	}
	return {
		status: 'OK',
		message: `${url} holds ${keys.length} signing key${keys.length === 1 ? '' : 's'}`,
	};
}

/** Judges the introspection endpoint's answer for an invented token: the client accepted, "active": false. */
export function judgeIntrospectionAnswer(
	url: string,
	answer: IdentityAnswer,
): INodeCredentialTestResult {
	if (!url)
		return { status: 'Error', message: `Enter the introspection URL. ${INTROSPECTION_MUST_BE}` };
	if (!('networkCode' in answer) && (answer.status === 401 || answer.status === 403)) {
		return {
			status: 'Error',
			message: `${url} refused the client ID and secret (HTTP ${answer.status})`,
		};
	}
	if ('networkCode' in answer || answer.status !== 200) {
		return {
			status: 'Error',
			message: `${unreachable('introspection URL', url, answer)} ${INTROSPECTION_MUST_BE}`,
		};
	}
	const active = (parsed(answer.body) as { active?: unknown } | undefined)?.active;
	if (active === true) {
		return {
			status: 'Error',
			message: `${url} called an invented token active: it cannot be trusted`,
		};
	}
	if (active !== false) {
		return {
			status: 'Error',
			message: `${url} answered without "active". ${INTROSPECTION_MUST_BE}`,
		};
	}
	return { status: 'OK', message: `${url} accepted the client and refused an invented token` };
}

interface RequestError {
	code?: unknown;
	statusCode?: unknown;
	cause?: { code?: unknown };
}

async function fetchIdentity(
	ctx: ICredentialTestFunctions,
	options: { method: string; uri: string; headers: Record<string, string>; body?: string },
): Promise<IdentityAnswer> {
	try {
		const response = (await ctx.helpers.request({
			...options,
			resolveWithFullResponse: true,
			simple: false,
			timeout: 10_000,
		})) as { statusCode: number; body: unknown };
		return { status: response.statusCode, body: response.body };
	} catch (error) {
		const { code, statusCode, cause } = (error ?? {}) as RequestError;
		if (typeof statusCode === 'number') return { status: statusCode, body: undefined };
		const found = cause?.code ?? code;
		return { networkCode: typeof found === 'string' ? found : 'no answer' };
	}
}

/**
 * InstaMed OAuth2: first what the trigger would refuse as misconfigured (an empty Issuer or
 * Audience, plain http to another machine...); then fetches the JWKS and checks it holds signing
 * keys, or posts an invented token to the introspection endpoint with the client's credentials and
 * expects "active": false. A declarative test cannot do this: any JSON answer (even a health
 * check) would pass it.
 */
export async function instaMedOAuth2ApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const problems = unsafe(oauth2CredentialProblems(data));
	if (problems) return problems;
	const headers = { Accept: 'application/json' };
	if (data.validation === 'introspection') {
		const url = String(data.introspectionUrl ?? '').trim();
		const client = `${String(data.clientId ?? '')}:${String(data.clientSecret ?? '')}`;
		const answer = await fetchIdentity(this, {
			method: 'POST',
			uri: url,
			headers: {
				...headers,
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `Basic ${btoa(client)}`,
			},
			body: 'token=n8n-credential-test',
		});
		return judgeIntrospectionAnswer(url, answer);
	}
	const url = String(data.jwksUrl ?? '').trim();
	return judgeJwksAnswer(url, await fetchIdentity(this, { method: 'GET', uri: url, headers }));
}

/** The node's `methods.credentialTest`, referenced by `testedBy` in its credentials list. */
export const credentialTests = {
	instaMedBasicApiTest,
	instaMedProxySecretApiTest,
	instaMedOAuth2ApiTest,
};
