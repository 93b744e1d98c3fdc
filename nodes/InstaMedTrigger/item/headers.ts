export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The proxy secret header's default name: redacted whether or not the trigger checks it. */
export const DEFAULT_PROXY_SECRET_HEADER = 'x-proxy-secret';

// Headers that carry credentials, by name. Redaction never depends on the trigger's settings: a
// proxy may send its secret to a trigger that does not check it.
const secretHeaders = new Set([
	'authorization',
	'proxy-authorization',
	'cookie',
	'x-ssl-client-cert',
	DEFAULT_PROXY_SECRET_HEADER,
]);

// A name that says it holds a credential (X-Api-Key, X-Auth-Token, X-Webhook-Secret, ...).
const secretLikeName = /secret|token|passw|api-?key|auth|signature|session|cookie/;

/**
 * The headers with credentials replaced, so stored executions never hold them; `alsoSecret` names
 * configured secret headers (the proxy's shared secret under another name).
 */
export function redactHeaders(
	headers: RequestHeaders,
	alsoSecret: readonly string[] = [],
): Record<string, string | string[]> {
	const configured = new Set(alsoSecret.map((name) => name.toLowerCase()));
	const isSecret = (lowerName: string) =>
		secretHeaders.has(lowerName) || configured.has(lowerName) || secretLikeName.test(lowerName);
	return Object.fromEntries(
		Object.entries(headers)
			.filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
			.map(([name, value]) => {
				const lowerName = name.toLowerCase();
				return [lowerName, isSecret(lowerName) ? '[redacted]' : value];
			}),
	);
}
