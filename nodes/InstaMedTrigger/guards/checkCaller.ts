import type { IWebhookFunctions } from 'n8n-workflow';

import { checkProxyCertificateHeaders, type ClientCertificateSettings } from './clientCertificate';
import { loadSafeCredential, proxySecretProblems } from './credentialSafety';
import { checkIpAllowed, type IpRange } from './ipAllowlist';
import {
	checkProxySecret,
	checkTrustedProxy,
	forwardedClientAddress,
	type ProxiedRequest,
} from './trustedProxy';

export const PROXY_SECRET_CREDENTIAL = 'instaMedProxySecretApi';

export interface CallerSettings {
	ipAllowlist: IpRange[] | null;
	clientCertificate: ClientCertificateSettings | null;
}

/**
 * Who is calling, decided before credentials or the body are read.
 * - Client certificates off: the allowlist judges n8n's `req.ip` (behind a proxy that needs
 *   N8N_PROXY_HOPS, and n8n's port reachable only through the proxy).
 * - Client certificates on: the TCP peer must be a trusted proxy carrying the shared secret (when
 *   one is set); the allowlist then judges the client that proxy forwarded, and the certificate the
 *   proxy verified must be allowed. Works with and without N8N_PROXY_HOPS.
 */
export async function checkCaller(
	context: IWebhookFunctions,
	req: ProxiedRequest,
	settings: CallerSettings,
): Promise<void> {
	const certificate = settings.clientCertificate;
	if (certificate === null) {
		checkIpAllowed(req.ip, settings.ipAllowlist);
		return;
	}
	checkTrustedProxy(req, certificate.trustedProxies);
	if (certificate.proxySecretHeader !== null) {
		const credentials = await loadSafeCredential(
			context,
			PROXY_SECRET_CREDENTIAL,
			proxySecretProblems,
		);
		checkProxySecret(req.headers, certificate.proxySecretHeader, String(credentials.secret));
	}
	checkIpAllowed(forwardedClientAddress(req), settings.ipAllowlist);
	checkProxyCertificateHeaders(req.headers, certificate);
}
