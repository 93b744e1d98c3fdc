import { WebhookRejection } from '../rejection';
import { equalInConstantTime } from './constantTime';

export interface BasicCredentials {
	username: string;
	password: string;
}

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="InstaMed"' };

/**
 * Accepts the request only with the configured username and password. InstaMed uses the challenge
 * flow: its first post carries no credentials and is retried after the 401 with the challenge.
 */
export function checkBasicAuth(
	authorization: string | undefined,
	expected: BasicCredentials,
): void {
	if (!authorization?.trim()) {
		throw new WebhookRejection(401, 'Authorization required', CHALLENGE);
	}
	const presented = decodeBasicAuthorization(authorization);
	const wanted = Buffer.from(`${expected.username}:${expected.password}`, 'utf8');
	if (!presented || !equalInConstantTime(presented, wanted)) {
		throw new WebhookRejection(401, 'Invalid credentials', CHALLENGE);
	}
}

/** The raw `user:password` bytes of a Basic header, or undefined when the header is not one. */
function decodeBasicAuthorization(authorization: string): Buffer | undefined {
	const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64');
	return decoded.includes(0x3a) ? decoded : undefined;
}
