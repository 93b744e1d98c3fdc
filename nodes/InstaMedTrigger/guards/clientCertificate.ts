import { WebhookRejection } from '../rejection';
import { isIpAllowed, type IpRange } from './ipAllowlist';

/** Which certificates pass; an empty list or subject means that check is not made. */
export interface CertificateAllowList {
	fingerprints: string[];
	subject: string;
}

export interface ProxyHeaderNames {
	verify: string;
	fingerprint: string;
	subject: string;
}

export type ClientCertificateSettings =
	| {
			mode: 'proxyHeaders';
			trustedProxies: IpRange[];
			headers: ProxyHeaderNames;
			allowed: CertificateAllowList;
	  }
	| { mode: 'tlsSocket'; allowed: CertificateAllowList };

/** The parts of Node's `tls.PeerCertificate` the check reads. */
export interface PeerCertificate {
	fingerprint?: string;
	fingerprint256?: string;
	subject?: Record<string, string | string[] | undefined>;
}

export interface PeerCertificateInfo {
	authorized: boolean;
	certificate?: PeerCertificate;
}

type Headers = Record<string, string | string[] | undefined>;

interface PresentedCertificate {
	fingerprints: string[];
	subject: string | undefined;
}

/** SHA-1 or SHA-256 hex, with or without colons, any case. */
export function parseFingerprints(text: string): string[] {
	return text
		.split(/[\s,]+/)
		.filter((entry) => entry !== '')
		.map((entry) => {
			const fingerprint = normalizeFingerprint(entry);
			if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(fingerprint)) {
				throw new Error(`"${entry}" is not a SHA-1 or SHA-256 certificate fingerprint`);
			}
			return fingerprint;
		});
}

export function normalizeFingerprint(value: string): string {
	return value.replace(/:/g, '').trim().toLowerCase();
}

/** Refuses requests without an acceptable client certificate; `null` means the check is off. */
export function checkClientCertificate(
	request: { ip?: string; headers: Headers; socket?: unknown },
	settings: ClientCertificateSettings | null,
): void {
	if (settings === null) return;
	if (settings.mode === 'proxyHeaders') {
		checkProxyCertificateHeaders(request.ip, request.headers, settings);
	} else {
		checkPeerCertificate(readPeerCertificate(request.socket), settings.allowed);
	}
}

/**
 * A TLS-terminating proxy verified the certificate and reports it in headers. Anyone can send
 * such headers, so they count only on connections from the proxy itself.
 */
export function checkProxyCertificateHeaders(
	ip: string | undefined,
	headers: Headers,
	settings: { trustedProxies: IpRange[]; headers: ProxyHeaderNames; allowed: CertificateAllowList },
): void {
	if (!isIpAllowed(ip, settings.trustedProxies)) {
		throw forbidden('Client certificate headers from an untrusted address');
	}
	const header = (name: string) => {
		const value = headers[name.toLowerCase()];
		return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
	};
	const verify = header(settings.headers.verify);
	if (verify === undefined || verify === 'NONE') throw forbidden('Client certificate required');
	if (verify !== 'SUCCESS') throw forbidden('Client certificate not verified');
	const fingerprint = header(settings.headers.fingerprint);
	checkAllowed(
		{
			fingerprints: fingerprint === undefined ? [] : [normalizeFingerprint(fingerprint)],
			subject: header(settings.headers.subject),
		},
		settings.allowed,
	);
}

/** TLS reaches n8n directly: the socket's own peer certificate, verified against n8n's CA settings. */
export function checkPeerCertificate(
	peer: PeerCertificateInfo,
	allowed: CertificateAllowList,
): void {
	const certificate = peer.certificate;
	if (!certificate?.fingerprint && !certificate?.fingerprint256) {
		throw forbidden('Client certificate required');
	}
	if (!peer.authorized) throw forbidden('Client certificate not verified');
	checkAllowed(
		{
			fingerprints: [certificate.fingerprint, certificate.fingerprint256]
				.filter((value): value is string => typeof value === 'string')
				.map(normalizeFingerprint),
			subject: certificate.subject ? formatDistinguishedName(certificate.subject) : undefined,
		},
		allowed,
	);
}

/** Reads the peer certificate of a TLS socket; a plain socket has none. */
export function readPeerCertificate(socket: unknown): PeerCertificateInfo {
	const tlsSocket = socket as
		| { authorized?: boolean; getPeerCertificate?: () => PeerCertificate | null }
		| undefined;
	if (typeof tlsSocket?.getPeerCertificate !== 'function') return { authorized: false };
	return {
		authorized: tlsSocket.authorized === true,
		certificate: tlsSocket.getPeerCertificate() ?? undefined,
	};
}

/**
 * RFC 4514 form, most specific attribute first (`CN=client,O=Org,C=US`), as nginx's
 * `$ssl_client_s_dn` gives it, so one allowed subject works in both modes.
 */
export function formatDistinguishedName(
	subject: Record<string, string | string[] | undefined>,
): string {
	return Object.entries(subject)
		.flatMap(([type, values]) =>
			(Array.isArray(values) ? values : [values ?? '']).map(
				(value) => `${type}=${value.replace(/([,+"\\<>;])/g, '\\$1')}`,
			),
		)
		.reverse()
		.join(',');
}

function checkAllowed(presented: PresentedCertificate, allowed: CertificateAllowList): void {
	const fingerprintAllowed =
		allowed.fingerprints.length === 0 ||
		presented.fingerprints.some((fingerprint) => allowed.fingerprints.includes(fingerprint));
	const subjectAllowed = allowed.subject === '' || presented.subject === allowed.subject;
	if (!fingerprintAllowed || !subjectAllowed) throw forbidden('Client certificate not allowed');
}

function forbidden(reason: string): WebhookRejection {
	return new WebhookRejection(403, reason);
}
