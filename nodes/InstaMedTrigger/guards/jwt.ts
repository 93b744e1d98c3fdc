import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'crypto';

import type { JwtAlgorithm } from '../../../credentials/InstaMedOAuth2Api.credentials';
import { invalidToken } from './tokenRejections';

interface AlgorithmSpec {
	digest: 'sha256' | 'sha384' | 'sha512';
	kty: 'RSA' | 'EC';
	crv?: string;
	pssSaltLength?: number;
}

// Keyed by the credential's list, so an algorithm it offers cannot lack its spec here.
const ALGORITHMS: Record<JwtAlgorithm, AlgorithmSpec> = {
	RS256: { digest: 'sha256', kty: 'RSA' },
	RS384: { digest: 'sha384', kty: 'RSA' },
	RS512: { digest: 'sha512', kty: 'RSA' },
	PS256: { digest: 'sha256', kty: 'RSA', pssSaltLength: 32 },
	PS384: { digest: 'sha384', kty: 'RSA', pssSaltLength: 48 },
	PS512: { digest: 'sha512', kty: 'RSA', pssSaltLength: 64 },
	ES256: { digest: 'sha256', kty: 'EC', crv: 'P-256' },
	ES384: { digest: 'sha384', kty: 'EC', crv: 'P-384' },
	ES512: { digest: 'sha512', kty: 'EC', crv: 'P-521' },
};

export interface VerificationKey {
	kid?: string;
	kty: string;
	crv?: string;
	alg?: string;
	key: KeyObject;
}

export interface DecodedJwt {
	alg: JwtAlgorithm;
	kid?: string;
	claims: Record<string, unknown>;
	signingInput: string;
	signature: Buffer;
}

export interface JwtExpectations {
	issuer: string;
	audience: string;
	allowedAlgorithms: string[];
	clockToleranceSeconds: number;
}

/** The signature keys of a JWKS document, or undefined when it is not one. Keys for encryption or of unknown types are skipped. */
export function importJwks(document: unknown): VerificationKey[] | undefined {
	const keys = (document as { keys?: unknown } | null)?.keys;
	if (!Array.isArray(keys)) return undefined;
	return keys.flatMap((jwk: unknown) => {
		const key = importSignatureKey(jwk);
		return key ? [key] : [];
	});
}

function importSignatureKey(jwk: unknown): VerificationKey | undefined {
	if (typeof jwk !== 'object' || jwk === null) return undefined;
	const { kid, kty, crv, alg, use } = jwk as Record<string, unknown>;
	if ((kty !== 'RSA' && kty !== 'EC') || (use !== undefined && use !== 'sig')) return undefined;
	try {
		return {
			kid: typeof kid === 'string' ? kid : undefined,
			kty,
			crv: typeof crv === 'string' ? crv : undefined,
			alg: typeof alg === 'string' ? alg : undefined,
			key: createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }),
		};
	} catch {
		return undefined;
	}
}

/** Splits and decodes a compact JWS and checks its algorithm is one the credential allows. */
export function decodeJwt(token: string, allowedAlgorithms: string[]): DecodedJwt {
	const parts = token.split('.');
	if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) {
		throw invalidToken('malformed');
	}
	const header = parseJsonSegment(parts[0]);
	const claims = parseJsonSegment(parts[1]);
	const { alg, kid } = header;
	if (typeof alg !== 'string' || !isJwtAlgorithm(alg) || !allowedAlgorithms.includes(alg)) {
		throw invalidToken('algorithm not allowed');
	}
	return {
		alg,
		kid: typeof kid === 'string' ? kid : undefined,
		claims,
		signingInput: `${parts[0]}.${parts[1]}`,
		signature: Buffer.from(parts[2], 'base64url'),
	};
}

function isJwtAlgorithm(alg: string): alg is JwtAlgorithm {
	return Object.hasOwn(ALGORITHMS, alg);
}

function parseJsonSegment(segment: string): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			return value as Record<string, unknown>;
		}
	} catch {
		// falls through to the rejection below
	}
	throw invalidToken('malformed');
}

/** The keys that may have signed this token: its kid's key, or every key when it names none. */
export function candidateKeys(jwt: DecodedJwt, keys: VerificationKey[]): VerificationKey[] {
	const candidates = jwt.kid === undefined ? keys : keys.filter((key) => key.kid === jwt.kid);
	if (candidates.length === 0) throw invalidToken('unknown key');
	const spec = ALGORITHMS[jwt.alg];
	const matching = candidates.filter(
		(key) =>
			key.kty === spec.kty &&
			(spec.crv === undefined || key.crv === spec.crv) &&
			(key.alg === undefined || key.alg === jwt.alg),
	);
	if (matching.length === 0) throw invalidToken('key does not match algorithm');
	return matching;
}

export function checkSignature(jwt: DecodedJwt, keys: VerificationKey[]): void {
	const spec = ALGORITHMS[jwt.alg];
	const data = Buffer.from(jwt.signingInput, 'ascii');
	const verifies = keys.some((key) => {
		const options =
			spec.kty === 'EC'
				? { key: key.key, dsaEncoding: 'ieee-p1363' as const }
				: spec.pssSaltLength !== undefined
					? {
							key: key.key,
							padding: constants.RSA_PKCS1_PSS_PADDING,
							saltLength: spec.pssSaltLength,
						}
					: { key: key.key, padding: constants.RSA_PKCS1_PADDING };
		try {
			return verify(spec.digest, data, options, jwt.signature);
		} catch {
			return false;
		}
	});
	if (!verifies) throw invalidToken('bad signature');
}

export function checkClaims(
	claims: Record<string, unknown>,
	expected: JwtExpectations,
	nowMs: number,
): void {
	const now = nowMs / 1000;
	const tolerance = expected.clockToleranceSeconds;
	if (typeof claims.exp !== 'number') throw invalidToken('missing expiry');
	if (now >= claims.exp + tolerance) throw invalidToken('expired');
	for (const notBefore of [claims.nbf, claims.iat]) {
		if (typeof notBefore === 'number' && notBefore > now + tolerance) {
			throw invalidToken('not yet valid');
		}
	}
	checkIssuerAndAudience(claims, expected);
}

/** `iss` and `aud` against the credential; an empty expectation is not checked (introspection only). */
export function checkIssuerAndAudience(
	claims: Record<string, unknown>,
	expected: { issuer: string; audience: string },
): void {
	if (expected.issuer && claims.iss !== expected.issuer) throw invalidToken('wrong issuer');
	const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
	if (expected.audience && !audiences.includes(expected.audience)) {
		throw invalidToken('wrong audience');
	}
}

/** OAuth scopes as a space-separated `scope` string (RFC 8693, RFC 7662) or an `scp` list or string. */
export function grantsScope(claims: Record<string, unknown>, required: string): boolean {
	const scopes = [claims.scope, claims.scp].flatMap((value) =>
		typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : [],
	);
	return scopes.includes(required);
}
