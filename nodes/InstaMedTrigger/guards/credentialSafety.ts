import type { IWebhookFunctions } from 'n8n-workflow';

import { misconfigured } from '../rejection';

/**
 * What makes a trigger credential unusable or unsafe, named by the fields the credential shows
 * (never their values). The trigger refuses such a credential as misconfigured before it reads the
 * caller's credentials, and the credential's Test reports the same list.
 */
type CredentialData = Record<string, unknown>;

/** Beyond five minutes a replayed token stays valid too long after its expiry. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;
export const MIN_PROXY_SECRET_LENGTH = 16;

const text = (value: unknown) => String(value ?? '').trim();

/** Basic: both fields set (an empty pair would match `Basic Og==`), RFC 7617 forbids ':' in the username. */
export function basicCredentialProblems(data: CredentialData): string[] {
	const username = text(data.username);
	return [
		...(username === '' ? ['Username missing'] : []),
		...(username.includes(':') ? ['Username contains ":"'] : []),
		...(String(data.password ?? '') === '' ? ['Password missing'] : []),
	];
}

/**
 * OAuth2: JWT mode checks iss and aud against Issuer and Audience, so both are required (empty
 * ones would accept any token the issuer's keys signed, for any service). Keys and introspection
 * answers are trusted only over https, except from this machine.
 */
export function oauth2CredentialProblems(data: CredentialData): string[] {
	if (data.validation === 'introspection') {
		return [
			...urlProblems('Introspection URL', data.introspectionUrl),
			...(text(data.clientId) === '' ? ['Client ID missing'] : []),
			...(String(data.clientSecret ?? '') === '' ? ['Client Secret missing'] : []),
		];
	}
	const algorithms = Array.isArray(data.allowedAlgorithms) ? data.allowedAlgorithms : ['RS256'];
	const tolerance = Number(data.clockToleranceSeconds ?? 60);
	return [
		...urlProblems('JWKS URL', data.jwksUrl),
		...(text(data.issuer) === '' ? ['Issuer missing'] : []),
		...(text(data.audience) === '' ? ['Audience missing'] : []),
		...(algorithms.length === 0 ? ['Allowed Algorithms empty'] : []),
		...(!(tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)
			? [`Clock Tolerance not between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS} seconds`]
			: []),
	];
}

/** The secret is compared with a header only the proxy sets: long enough not to be guessed. */
export function proxySecretProblems(data: CredentialData): string[] {
	const secret = String(data.secret ?? '');
	if (secret.length < MIN_PROXY_SECRET_LENGTH) {
		return [`Secret shorter than ${MIN_PROXY_SECRET_LENGTH} characters`];
	}
	// A header value cannot carry spaces at its ends or control characters.
	return /^[\x21-\x7e]+$/.test(secret) ? [] : ['Secret not printable ASCII without spaces'];
}

/** Throws the trigger's misconfiguration (a 500 InstaMed retries, no run) when there are problems. */
export function requireSafeCredential(credentialName: string, problems: string[]): void {
	if (problems.length > 0) {
		throw misconfigured(`${credentialName} credential: ${problems.join('; ')}`);
	}
}

function urlProblems(field: string, value: unknown): string[] {
	const url = text(value);
	if (url === '') return [`${field} missing`];
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return [`${field} not a URL`];
	}
	if (parsed.protocol === 'https:') return [];
	if (parsed.protocol === 'http:' && isThisMachine(parsed.hostname)) return [];
	return [`${field} not https`];
}

// Plain http is only safe where nothing crosses a network (a test issuer, a local sidecar).
function isThisMachine(hostname: string): boolean {
	return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * The credential of `type` the node uses, refused as misconfigured when `problemsOf` finds any.
 * The refusal names the credential as the user named it in n8n, so they know which one to fix.
 */
export async function loadSafeCredential(
	context: IWebhookFunctions,
	type: string,
	problemsOf: (data: CredentialData) => string[],
): Promise<CredentialData> {
	const data = await context.getCredentials(type);
	const name = context.getNode().credentials?.[type]?.name ?? type;
	requireSafeCredential(name, problemsOf(data));
	return data;
}
