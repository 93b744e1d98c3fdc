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

/**
 * n8n's own HTTPS server never asks for a client certificate, so a certificate can only be checked
 * by a TLS-terminating proxy that passes the result in headers.
 */
export interface ClientCertificateSettings {
	trustedProxies: IpRange[];
	headers: ProxyHeaderNames;
	allowed: CertificateAllowList;
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
	request: { ip?: string; headers: Headers },
	settings: ClientCertificateSettings | null,
): void {
	if (settings === null) return;
	checkProxyCertificateHeaders(request.ip, request.headers, settings);
}

/**
 * A TLS-terminating proxy verified the certificate and reports it in headers. Anyone can send
 * such headers, so they count only on connections from the proxy itself.
 */
export function checkProxyCertificateHeaders(
	ip: string | undefined,
	headers: Headers,
	settings: ClientCertificateSettings,
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
