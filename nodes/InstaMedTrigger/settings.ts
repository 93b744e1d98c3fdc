import type { IWebhookFunctions } from 'n8n-workflow';

import { toRespondMode, type RespondMode } from './answer/respondMode';
import type { FormatChoice } from './format/detect';
import {
	DEFAULT_REQUIRED_FIELDS,
	parseRequiredFields,
	type RequiredFields,
} from './format/requiredFields';
import type { AuthenticationMode } from './guards/authenticateRequest';
import type { ClientCertificateSettings } from './guards/clientCertificate';
import { parseFingerprints } from './guards/clientCertificate';
import { parseHeaderName } from './guards/trustedProxy';
import { INSTAMED_IP_ADDRESSES, parseIpAllowlist, type IpRange } from './guards/ipAllowlist';
import { misconfigured } from './rejection';
import { BUILT_IN_RULES, parseRules, type Rule } from './routing/rules';

export interface TriggerParameters {
	respond: RespondMode;
	authentication: AuthenticationMode;
	events: string[];
	rules: Rule[];
	format: FormatChoice;
	requiredFields: RequiredFields;
	ipAllowlist: IpRange[] | null;
	clientCertificate: ClientCertificateSettings | null;
	maxBodyBytes: number;
	includeRawBody: boolean;
	includeHeaders: boolean;
	omitCardData: boolean;
	/** Headers that carry secrets beyond the standard ones, never copied into the item (item/headers.ts). */
	secretHeaders: string[];
}

/** The node's parameters as the pure modules take them; a bad setting throws TriggerMisconfigured. */
export function readTriggerParameters(context: IWebhookFunctions): TriggerParameters {
	try {
		return readSettings(context);
	} catch (error) {
		throw misconfigured(error);
	}
}

function readSettings(context: IWebhookFunctions): TriggerParameters {
	const parameter = <T>(name: string, fallback: T) => context.getNodeParameter(name, fallback) as T;
	const options = parameter<{
		includeRawBody?: boolean;
		includeHeaders?: boolean;
		omitCardData?: boolean;
		maxBodyKb?: number;
		requiredFields?: string;
	}>('settings', {});
	const clientCertificate = readClientCertificate(parameter);
	return {
		respond: toRespondMode(parameter<unknown>('respond', 'whenConfirmed')),
		authentication: parameter<AuthenticationMode>('authentication', 'none'),
		events: parameter<string[]>('events', []),
		rules:
			parameter<string>('routing', 'builtIn') === 'custom'
				? parseRules(parameter<string>('rules', '[]'))
				: BUILT_IN_RULES,
		format: parameter<FormatChoice>('format', 'auto'),
		requiredFields: parseRequiredFields(options.requiredFields ?? DEFAULT_REQUIRED_FIELDS),
		ipAllowlist: readIpAllowlist(parameter<string>('ipAllowlist', 'off'), () =>
			parameter<string>('allowedIps', ''),
		),
		clientCertificate,
		maxBodyBytes: Math.max(1, options.maxBodyKb ?? 512) * 1024,
		includeRawBody: options.includeRawBody === true,
		includeHeaders: options.includeHeaders === true,
		omitCardData: options.omitCardData === true,
		// The configured proxy secret header is redacted whether or not the secret is required.
		secretHeaders: [parameter<string>('proxyHeaderName', 'X-Proxy-Secret').trim()],
	};
}

function readIpAllowlist(mode: string, customList: () => string): IpRange[] | null {
	if (mode === 'off') return null;
	return parseIpAllowlist(mode === 'instamed' ? INSTAMED_IP_ADDRESSES.join(',') : customList());
}

function readClientCertificate(
	parameter: <T>(name: string, fallback: T) => T,
): ClientCertificateSettings | null {
	const mode = parameter<string>('clientCertificate', 'off');
	if (mode === 'off') return null;
	const allowed = {
		fingerprints: parseFingerprints(parameter<string>('allowedFingerprints', '')),
		subject: parameter<string>('allowedSubject', '').trim(),
	};
	return {
		trustedProxies: parseIpAllowlist(parameter<string>('trustedProxies', '')),
		proxySecretHeader: parameter<boolean>('requireProxySecret', false)
			? parseHeaderName(parameter<string>('proxyHeaderName', 'X-Proxy-Secret'))
			: null,
		headers: {
			verify: parameter<string>('verifyHeader', 'X-SSL-Client-Verify'),
			fingerprint: parameter<string>('fingerprintHeader', 'X-SSL-Client-Fingerprint'),
			subject: parameter<string>('subjectHeader', 'X-SSL-Client-S-DN'),
		},
		allowed,
	};
}
