import { WebhookRejection } from '../rejection';
import type { IpRange } from './ipAllowlist';

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
	/** Only connections from these addresses (the TCP peer) may carry certificate headers. */
	trustedProxies: IpRange[];
	/** The header the proxy sets to the shared secret; null when no secret is required. */
	proxySecretHeader: string | null;
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

/**
 * The certificate a TLS-terminating proxy verified and reported in headers. Anyone can send such
 * headers: call this only once the request is known to come from a trusted proxy (trustedProxy.ts).
 */
export function checkProxyCertificateHeaders(
	headers: Headers,
	settings: Pick<ClientCertificateSettings, 'headers' | 'allowed'>,
): void {
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
