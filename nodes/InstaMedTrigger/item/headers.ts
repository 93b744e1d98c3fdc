export type RequestHeaders = Record<string, string | string[] | undefined>;

const secretHeaders = new Set([
	'authorization',
	'proxy-authorization',
	'cookie',
	'x-ssl-client-cert',
]);

/**
 * The headers with credentials replaced, so stored executions never hold them; `alsoSecret` names
 * configured secret headers (the proxy's shared secret).
 */
export function redactHeaders(
	headers: RequestHeaders,
	alsoSecret: readonly string[] = [],
): Record<string, string | string[]> {
	const secret = new Set([...secretHeaders, ...alsoSecret.map((name) => name.toLowerCase())]);
	return Object.fromEntries(
		Object.entries(headers)
			.filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
			.map(([name, value]) => {
				const lowerName = name.toLowerCase();
				return [lowerName, secret.has(lowerName) ? '[redacted]' : value];
			}),
	);
}
