import { IntrospectionCache, type IntrospectionSettings } from './introspection';
import { JwksCache } from './jwks';
import {
	candidateKeys,
	checkClaims,
	checkIssuerAndAudience,
	checkSignature,
	decodeJwt,
	grantsScope,
	type JwtExpectations,
} from './jwt';
import { SERVICE_LIMITS, ServiceGate, type ServiceLimits } from './serviceGate';
import type { TokenHttp } from './tokenHttp';
import { invalidToken, tokenRequired } from './tokenRejections';

/** The fields of the InstaMed OAuth2 credential. */
export interface OAuth2Settings extends JwtExpectations, IntrospectionSettings {
	validation: 'jwt' | 'introspection';
	jwksUrl: string;
	requiredScope: string;
}

export function readOAuth2Settings(data: Record<string, unknown>): OAuth2Settings {
	const text = (name: string) => String(data[name] ?? '').trim();
	const number = (name: string, fallback: number) => {
		const value = Number(data[name]);
		return Number.isFinite(value) && value >= 0 ? value : fallback;
	};
	return {
		validation: data.validation === 'introspection' ? 'introspection' : 'jwt',
		jwksUrl: text('jwksUrl'),
		issuer: text('issuer'),
		audience: text('audience'),
		allowedAlgorithms: Array.isArray(data.allowedAlgorithms)
			? data.allowedAlgorithms.map(String)
			: ['RS256'],
		clockToleranceSeconds: number('clockToleranceSeconds', 60),
		introspectionUrl: text('introspectionUrl'),
		clientId: text('clientId'),
		cacheSeconds: number('cacheSeconds', 300),
		requiredScope: text('requiredScope'),
	};
}

export function extractBearerToken(authorization: string | undefined): string {
	if (!authorization?.trim()) throw tokenRequired();
	const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization);
	if (!match) throw invalidToken('malformed');
	return match[1];
}

/**
 * Checks the bearer token InstaMed brings, as a JWT against the issuer's keys or by asking the
 * issuer (RFC 7662). Keys and introspection answers are cached for the life of the process, and
 * each identity service (JWKS URL, introspection URL and client) gets calls only within its
 * gate's budget, whatever callers send. One instance serves the whole process: the trigger makes
 * it once and hands it to each request.
 */
export class BearerTokenValidator {
	private readonly jwks: JwksCache;
	private readonly introspection: IntrospectionCache;
	// Keyed by credential settings, never by anything a caller sends: as many as configured services.
	private readonly gates = new Map<string, ServiceGate>();

	constructor(
		private readonly now: () => number = Date.now,
		maxEntries = 500,
		private readonly limits: ServiceLimits = SERVICE_LIMITS,
	) {
		this.jwks = new JwksCache(now, maxEntries);
		this.introspection = new IntrospectionCache(now, maxEntries);
	}

	/** The token's claims when it is acceptable; otherwise throws a 401 (or 503 when the issuer is unreachable). */
	async validate(
		authorization: string | undefined,
		settings: OAuth2Settings,
		http: TokenHttp,
	): Promise<Record<string, unknown>> {
		const token = extractBearerToken(authorization);
		const claims =
			settings.validation === 'jwt'
				? await this.verifiedJwtClaims(token, settings, http)
				: await this.introspection.activeClaims(
						token,
						settings,
						http,
						this.gate(`introspection ${settings.introspectionUrl} ${settings.clientId}`),
					);
		// A JWT's issuer and audience are checked with its other claims; introspection's here.
		if (settings.validation === 'introspection') checkIssuerAndAudience(claims, settings);
		if (settings.requiredScope && !grantsScope(claims, settings.requiredScope)) {
			throw invalidToken('missing scope');
		}
		return claims;
	}

	private async verifiedJwtClaims(token: string, settings: OAuth2Settings, http: TokenHttp) {
		const jwt = decodeJwt(token, settings.allowedAlgorithms);
		const gate = this.gate(`jwks ${settings.jwksUrl}`);
		const keys = await this.jwks.keysFor(settings.jwksUrl, jwt.kid, http, gate);
		checkSignature(jwt, candidateKeys(jwt, keys));
		checkClaims(jwt.claims, settings, this.now());
		return jwt.claims;
	}

	private gate(service: string): ServiceGate {
		let gate = this.gates.get(service);
		if (!gate) {
			gate = new ServiceGate(this.now, this.limits);
			this.gates.set(service, gate);
		}
		return gate;
	}
}
