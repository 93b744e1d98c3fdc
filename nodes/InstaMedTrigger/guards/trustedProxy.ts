import { WebhookRejection } from '../rejection';
import { equalInConstantTime } from './constantTime';
import { isIpAllowed, type IpRange } from './ipAllowlist';

type Headers = Record<string, string | string[] | undefined>;

/** What the trusted-proxy checks read from n8n's (express) request. */
export interface ProxiedRequest {
	/** n8n's client address: from X-Forwarded-For under N8N_PROXY_HOPS, else the TCP peer. */
	ip?: string;
	headers: Headers;
	/** The TCP connection: its remote address is the one party a caller cannot choose. */
	socket?: { remoteAddress?: string };
}

/** The TCP peer, which no header can change. */
export function peerAddress(req: ProxiedRequest): string | undefined {
	return req.socket?.remoteAddress;
}

/**
 * "Is this the proxy?" is decided from the TCP peer only: X-Forwarded-For, and so n8n's `req.ip`
 * under N8N_PROXY_HOPS, is whatever the caller wrote.
 */
export function checkTrustedProxy(req: ProxiedRequest, trustedProxies: readonly IpRange[]): void {
	if (!isIpAllowed(peerAddress(req), trustedProxies)) {
		throw forbidden('Client certificate headers from an untrusted address');
	}
}

/**
 * Any local process on the proxy's address would pass as the proxy; a secret only the proxy sets
 * (nginx: proxy_set_header) narrows that to the proxy itself. Compared in constant time.
 */
export function checkProxySecret(headers: Headers, headerName: string, expected: string): void {
	const presented = headers[headerName.toLowerCase()];
	if (typeof presented !== 'string' || presented === '') throw forbidden('Proxy secret missing');
	if (expected === '' || !equalInConstantTime(presented, expected)) {
		throw forbidden('Proxy secret wrong');
	}
}

/**
 * The client the trusted proxy spoke to, for the IP allowlist. Call only once the peer is known to
 * be a trusted proxy. Under N8N_PROXY_HOPS n8n has already taken it from X-Forwarded-For (its
 * `req.ip` then differs from the peer); otherwise it is the last X-Forwarded-For entry, the one
 * the proxy appended (nginx: $proxy_add_x_forwarded_for), never an entry the caller wrote.
 */
export function forwardedClientAddress(req: ProxiedRequest): string | undefined {
	const peer = peerAddress(req);
	if (req.ip !== undefined && req.ip !== peer) return req.ip;
	const forwarded = req.headers['x-forwarded-for'];
	const entries = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	return entries.length > 0 ? entries[entries.length - 1] : peer;
}

/** A header name as HTTP allows it (RFC 9110 token), for the configured secret header. */
export function parseHeaderName(text: string): string {
	const name = text.trim();
	if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
		throw new Error(`"${text}" is not a valid header name`);
	}
	return name;
}

function forbidden(reason: string): WebhookRejection {
	return new WebhookRejection(403, reason);
}
