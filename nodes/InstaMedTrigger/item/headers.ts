export type RequestHeaders = Record<string, string | string[] | undefined>;

const secretHeaders = new Set([
	'authorization',
	'proxy-authorization',
	'cookie',
	'x-ssl-client-cert',
]);

/** The headers with credentials replaced, so stored executions never hold them. */
export function redactHeaders(headers: RequestHeaders): Record<string, string | string[]> {
	return Object.fromEntries(
		Object.entries(headers)
			.filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
			.map(([name, value]) => {
				const lowerName = name.toLowerCase();
				return [lowerName, secretHeaders.has(lowerName) ? '[redacted]' : value];
			}),
	);
}
